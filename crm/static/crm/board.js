/* The deal board (/admin/crm/board/): drag a card, or focus it and press an arrow key, to move
   the deal; a refused move puts the card back and says why. Cards open a side panel. Every
   action is also a plain form, so the board works without this script. */
(function () {
  "use strict";

  const board = document.getElementById("deal-board");
  if (!board) return;
  const status = document.getElementById("board-status");
  const panel = document.getElementById("board-panel");
  const token = board.querySelector("[name=csrfmiddlewaretoken]").value;
  const canChange = board.dataset.canChange === "1";
  const money = new Intl.NumberFormat("en", {
    style: "currency", currency: board.dataset.currency || "USD", maximumFractionDigits: 0,
  });
  let dragged = null;

  function say(message, ok) {
    status.textContent = message;
    status.classList.toggle("error", !ok);
    status.classList.toggle("ok", ok);
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      body: data,
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: "The server answered " + response.status + "." };
      });
    }).catch(function () {
      return { ok: false, message: "The server could not be reached; nothing changed." };
    });
  }

  function column(stage) {
    return board.querySelector('.board-column[data-stage="' + stage + '"]');
  }

  function tally(stage, deals, value) {
    const section = column(stage);
    if (!section) return;
    const count = section.querySelector(".board-count");
    const total = section.querySelector(".board-total");
    count.dataset.count = Number(count.dataset.count) + deals;
    count.textContent = count.dataset.count;
    total.dataset.total = Number(total.dataset.total) + value;
    total.textContent = money.format(Number(total.dataset.total));
  }

  function place(card, stage) {
    const list = column(stage).querySelector(".board-cards");
    const from = card.dataset.stage;
    list.prepend(card);
    card.dataset.stage = stage;
    const select = card.querySelector("select[name=stage]");
    if (select) select.value = stage;
    tally(from, -1, -Number(card.dataset.value));
    tally(stage, 1, Number(card.dataset.value));
  }

  function move(card, stage, reason) {
    const from = card.dataset.stage;
    if (!canChange || !stage || stage === from) return Promise.resolve(null);
    const home = { list: card.parentElement, next: card.nextElementSibling };
    place(card, stage);
    card.classList.add("moving");
    const data = new FormData();
    data.append("deal", card.dataset.deal);
    data.append("stage", stage);
    if (reason) data.append("reason", reason);
    return post(board.dataset.moveUrl, data).then(function (answer) {
      card.classList.remove("moving");
      if (answer.ok) {
        card.removeAttribute("data-refused");
        say(answer.message, true);
      } else {
        place(card, from);
        home.list.insertBefore(card, home.next);
        card.dataset.refused = answer.message;
        say(answer.message, false);
      }
      return answer;
    });
  }

  // --- dragging -------------------------------------------------------------------------------
  board.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".board-card");
    if (!card || !canChange) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    card.classList.add("dragging");
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    board.querySelectorAll(".drop-here").forEach(function (el) { el.classList.remove("drop-here"); });
    dragged = null;
  });
  board.querySelectorAll(".board-column").forEach(function (section) {
    section.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      section.classList.add("drop-here");
    });
    section.addEventListener("dragleave", function (event) {
      if (!section.contains(event.relatedTarget)) section.classList.remove("drop-here");
    });
    section.addEventListener("drop", function (event) {
      event.preventDefault();
      section.classList.remove("drop-here");
      if (dragged) move(dragged, section.dataset.stage);
    });
  });

  // --- the keyboard ---------------------------------------------------------------------------
  const stages = Array.from(board.querySelectorAll(".board-column")).map(function (s) { return s.dataset.stage; });
  board.addEventListener("keydown", function (event) {
    const card = event.target.classList && event.target.classList.contains("board-card") ? event.target : null;
    if (!card) return;
    const at = stages.indexOf(card.dataset.stage);
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      const to = stages[at + (event.key === "ArrowRight" ? 1 : -1)];
      if (to) move(card, to).then(function () { card.focus(); });
    } else if (event.key === "Enter") {
      event.preventDefault();
      open(card);
    }
  });

  // --- the side panel -------------------------------------------------------------------------
  let shown = null;
  function open(card) {
    shown = card;
    return fetch(card.dataset.panelUrl + "?next=" + encodeURIComponent(location.pathname + location.search), {
      credentials: "same-origin",
    }).then(function (response) { return response.text(); }).then(function (html) {
      panel.innerHTML = html;
      panel.hidden = false;
      const title = panel.querySelector("#panel-title");
      if (title) { title.tabIndex = -1; title.focus(); }
    });
  }
  function close() {
    panel.hidden = true;
    panel.innerHTML = "";
    if (shown) shown.focus();
    shown = null;
  }
  board.addEventListener("click", function (event) {
    const link = event.target.closest(".card-title");
    if (link) {
      event.preventDefault();
      open(link.closest(".board-card"));
    }
    if (event.target.closest("[data-close]")) close();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) close();
  });
  panel.addEventListener("submit", function (event) {
    const form = event.target;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    let done;
    if (form.dataset.action === "move") {
      done = move(shown, form.querySelector("select[name=stage]").value) || Promise.resolve(null);
    } else {
      done = post(form.action, new FormData(form)).then(function (answer) {
        say(answer.message, answer.ok);
        return answer;
      });
    }
    done.then(function () { if (shown) open(shown); });
  });

  // --- more cards, and the filters ------------------------------------------------------------
  board.addEventListener("click", function (event) {
    const more = event.target.closest(".board-more");
    if (!more) return;
    event.preventDefault();
    const params = new URLSearchParams(location.search);
    params.set("stage", more.dataset.stage);
    params.set("offset", more.dataset.offset);
    fetch(board.dataset.columnUrl + "?" + params, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        const list = column(more.dataset.stage).querySelector(".board-cards");
        const before = list.children.length;
        list.insertAdjacentHTML("beforeend", html);
        const added = list.children.length - before;
        const left = Number(more.dataset.left) - added;
        more.dataset.offset = Number(more.dataset.offset) + added;
        more.dataset.left = left;
        if (left <= 0 || added === 0) more.remove();
        else more.textContent = "Show more (" + left + " left)";
      });
  });
  board.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
