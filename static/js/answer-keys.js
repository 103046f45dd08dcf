// Number keys 1-6 choose the answer shown in that place (progressive enhancement: the form works without it).
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.matches("input[type=text], textarea, select")) return;
  const place = Number.parseInt(event.key, 10);
  if (!(place >= 1 && place <= 6)) return;
  const radios = document.querySelectorAll('.options input[name="selected_answer_index"]');
  const radio = radios[place - 1];
  if (!radio) return;
  radio.checked = true;
  radio.focus();
  event.preventDefault();
});
