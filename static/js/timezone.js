// Fills hidden time_zone fields with the browser's IANA time zone, so a child's day is their own.
(function () {
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  document.querySelectorAll('input[name="time_zone"][data-fill-from-browser]').forEach(function (input) {
    if (!input.value) { input.value = zone; }
  });
})();
