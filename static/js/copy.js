// Copy buttons on claim pages: shown only where JavaScript runs; the text stays selectable without it.
document.querySelectorAll("button.copy[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    source.select();
    try {
      await navigator.clipboard.writeText(source.value);
    } catch {
      document.execCommand("copy");
    }
    button.textContent = document.documentElement.lang.startsWith("id") ? "Tersalin ✓" : "Copied ✓";
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});
