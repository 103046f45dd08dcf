// "Read to me": reads the question and its answers aloud in the page's language (Web Speech API).
// The button stays hidden where the browser cannot speak. Delegated, so a form htmx swaps in works too.
(() => {
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  const reveal = () => {
    for (const button of document.querySelectorAll("[data-read-aloud]")) button.hidden = false;
  };
  reveal();
  document.body.addEventListener("htmx:afterSwap", reveal);
  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element) || !event.target.closest("[data-read-aloud]")) return;
    const parts = [...document.querySelectorAll("[data-read]")].map((element, index) =>
      index === 0 ? element.textContent.trim() : `${String.fromCharCode(64 + index)}: ${element.textContent.trim()}`,
    );
    const utterance = new SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = document.documentElement.lang || "en";
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  });
})();
