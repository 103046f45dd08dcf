// The import page checks a file's size before sending it: a file over the limit is never uploaded
// (the server refuses it too, after reading it, and nginx above 6 MB). The limit is the input's data-max-bytes.
(function () {
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = Number(input.dataset.maxBytes);
    var note = document.createElement("p");
    note.className = "errornote";
    note.setAttribute("role", "alert");
    note.style.display = "none"; // the admin's .errornote would override the hidden attribute
    input.insertAdjacentElement("afterend", note);
    function check() {
      var file = input.files && input.files[0];
      var message = "";
      if (file && file.size > limit) {
        message = "The file is larger than " + Math.round(limit / 1048576) + " MB: split it.";
      }
      input.setCustomValidity(message);
      note.textContent = message;
      note.style.display = message ? "" : "none";
    }
    input.addEventListener("change", check);
    input.form.addEventListener("submit", function (event) {
      check();
      if (!input.checkValidity()) { event.preventDefault(); }
    });
  });
})();
