/* Chips for list fields (crm_site.widgets.ChipsInput): the comma-separated input stays the value
   that is submitted; the chips and the entry box edit it. */
(function () {
  "use strict";

  function items(input) {
    return input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function enhance(input) {
    if (input.dataset.chipsReady) return;
    input.dataset.chipsReady = "1";
    const box = document.createElement("div");
    box.className = "chips";
    const entry = document.createElement("input");
    entry.type = "text";
    entry.className = "chips-entry";
    entry.placeholder = "Add…";
    const label = document.querySelector('label[for="' + input.id + '"]');
    entry.setAttribute("aria-label", "Add to " + (label ? label.textContent.trim() : input.name));
    input.parentNode.insertBefore(box, input);
    box.appendChild(entry);
    input.type = "hidden";

    function render() {
      box.querySelectorAll(".chip").forEach(function (chip) { chip.remove(); });
      items(input).forEach(function (text) {
        const chip = document.createElement("span");
        chip.className = "chip";
        chip.textContent = text;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove " + text);
        remove.addEventListener("click", function () {
          input.value = items(input).filter(function (t) { return t !== text; }).join(", ");
          render();
          entry.focus();
        });
        chip.appendChild(remove);
        box.insertBefore(chip, entry);
      });
    }

    function add(text) {
      const have = items(input);
      text.split(",").map(function (s) { return s.trim(); }).filter(Boolean).forEach(function (t) {
        if (have.indexOf(t) < 0) have.push(t);
      });
      input.value = have.join(", ");
      render();
    }

    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();
        add(entry.value);
        entry.value = "";
      } else if (event.key === "Backspace" && !entry.value) {
        const have = items(input);
        have.pop();
        input.value = have.join(", ");
        render();
      }
    });
    entry.addEventListener("blur", function () { add(entry.value); entry.value = ""; });
    box.addEventListener("click", function (event) { if (event.target === box) entry.focus(); });
    render();
  }

  function start() { document.querySelectorAll("input[data-chips]").forEach(enhance); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
