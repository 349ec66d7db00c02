/* sphinxcontrib-cab: client-side behaviour of cab pages. No dependencies; loaded with defer.
 *
 * - Normal / Nerds toggle: a real <button aria-pressed> among the theme's page controls, the
 *   choice kept in localStorage["cab-view"]; the default comes from cab_default_view (set on
 *   <html data-cab-default-view> by a tiny head script, which also applies the view early).
 * - Click-to-sort on cab tables: numbers by the number a cell starts with (data-sort, the
 *   value, where the text shows none), then by data-tie (the place of the exact value among
 *   those rounded to the same text); stable; aria-sort updated. A cell without a number
 *   (not recorded, not applicable, empty) goes after every number in both directions, its rows
 *   keeping their previous order among themselves.
 * - Provenance popovers: the list of nine values is built from the row's reproduce command the
 *   first time a popover opens; only one is open at a time; Escape closes it and returns focus.
 * - Copy buttons (navigator.clipboard, with a textarea fallback), announced as "Copied".
 * Without JavaScript every value is still on the page: nothing here adds information.
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var STORAGE_KEY = "cab-view";
  var VIEWS = ["normal", "nerds"];
  var MISSING = "\u2014";
  var toggles = [];
  var openPopover = null;
  var live = null;

  // -- small helpers -----------------------------------------------------------------------

  function announce(message) {
    if (!live) {
      live = doc.createElement("div");
      live.className = "cab-sr";
      live.setAttribute("aria-live", "polite");
      live.setAttribute("role", "status");
      doc.body.appendChild(live);
    }
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = message;
    }, 30);
  }

  function element(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readStoredView() {
    try {
      var value = window.localStorage.getItem(STORAGE_KEY);
      return VIEWS.indexOf(value) >= 0 ? value : null;
    } catch (error) {
      return null;
    }
  }

  // -- Normal / Nerds view ---------------------------------------------------------------------

  function applyView(view) {
    root.classList.remove("cab-view-normal", "cab-view-nerds");
    root.classList.add("cab-view-" + view);
    toggles.forEach(function (button) {
      button.setAttribute("aria-pressed", view === "nerds" ? "true" : "false");
    });
  }

  function setView(view) {
    applyView(view);
    try {
      window.localStorage.setItem(STORAGE_KEY, view);
    } catch (error) {
      /* private mode: the choice lasts for this page only */
    }
    announce(view === "nerds" ? "Nerds view: keys, hashes and commands shown" : "Normal view");
  }

  /* The toggle goes where the theme keeps its own page controls, so it reads as one of them:
     furo's icons above the article, sphinx-book-theme's article header buttons, the end of
     pydata's article header, the right of sphinx-rtd-theme's breadcrumbs. Elsewhere (alabaster)
     it floats at the top right of the page body. */
  function placeToggle(button) {
    var spot = doc.querySelector(".content-icon-container") ||
      doc.querySelector(".article-header-buttons");
    if (spot) {
      spot.insertBefore(button, spot.firstChild);
      return;
    }
    var header = doc.querySelector(".bd-header-article .header-article-items");
    if (header) {
      var end = header.querySelector(".header-article-items__end");
      if (!end) {
        // pydata lays its article header out in a row only when it has items at both ends
        end = element("div", "header-article-items__end");
        header.appendChild(end);
        header.classList.add("cab-header-row");
      }
      var item = element("div", "header-article-item");
      item.appendChild(button);
      end.insertBefore(item, end.firstChild);
      return;
    }
    var crumbs = doc.querySelector(".wy-breadcrumbs");
    if (crumbs) {
      var aside = element("li", "wy-breadcrumbs-aside");
      aside.appendChild(button);
      crumbs.appendChild(aside);
      return;
    }
    var main = doc.querySelector("[role=main]") || doc.querySelector("main") ||
      doc.querySelector("article") || doc.querySelector(".body");
    if (main) {
      button.classList.add("cab-view-toggle-float");
      main.insertBefore(button, main.firstChild);
    } else {
      button.classList.add("cab-view-toggle-fixed");
      doc.body.insertBefore(button, doc.body.firstChild);
    }
  }

  function initView() {
    var fallback = root.getAttribute("data-cab-default-view");
    var view = readStoredView() || (VIEWS.indexOf(fallback) >= 0 ? fallback : "normal");
    var button = element("button", "cab-view-toggle", "Nerds view");
    button.type = "button";
    button.title = "Show canonical keys, hashes and reproduce commands";
    button.addEventListener("click", function () {
      setView(button.getAttribute("aria-pressed") === "true" ? "normal" : "nerds");
    });
    toggles.push(button);
    placeToggle(button);
    applyView(view);
    window.addEventListener("storage", function (event) {
      if (event.key === STORAGE_KEY && VIEWS.indexOf(event.newValue) >= 0) applyView(event.newValue);
    });
  }

  // -- sorting -------------------------------------------------------------------------------

  var collator = window.Intl ? new Intl.Collator(undefined, { numeric: true }) : null;

  function compareText(a, b) {
    return collator ? collator.compare(a, b) : a < b ? -1 : a > b ? 1 : 0;
  }

  // null: no value to order by (the caller puts such rows last whichever the direction)
  function cellValue(cell, numeric) {
    if (!cell) return null;
    var raw = cell.getAttribute("data-sort");
    if (raw === null) raw = cell.textContent;
    raw = raw.trim();
    if (raw === "" || raw.charAt(0) === MISSING) return null;
    if (!numeric) return raw;
    var number = parseFloat(raw.replace(/,/g, ""));
    return isNaN(number) ? null : number;
  }

  function looksNumeric(rows, index) {
    var seen = false;
    for (var i = 0; i < rows.length; i++) {
      var value = cellValue(rows[i].cells[index], false);
      if (value === null) continue;
      if (!/^-?[\d,]*\.?\d+/.test(value)) return false;
      seen = true;
    }
    return seen;
  }

  function sortBy(th) {
    var table = th.closest("table");
    var body = table && table.tBodies[0];
    if (!body) return;
    var index = th.cellIndex;
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = th.classList.contains("cab-num") || looksNumeric(rows, index);
    var current = th.getAttribute("aria-sort");
    var order = current === "descending" ? "ascending"
      : current === "ascending" ? "descending"
      : numeric ? "descending" : "ascending";
    var sign = order === "ascending" ? 1 : -1;
    var keyed = rows.map(function (row, position) {
      var cell = row.cells[index];
      return {
        row: row,
        position: position,
        value: cellValue(cell, numeric),
        tie: (numeric && cell && Number(cell.getAttribute("data-tie"))) || 0
      };
    });
    keyed.sort(function (a, b) {
      if (a.value === null || b.value === null) {
        if (a.value === b.value) return a.position - b.position;
        return a.value === null ? 1 : -1;
      }
      var order = numeric ? a.value - b.value || a.tie - b.tie : compareText(a.value, b.value);
      return order ? sign * order : a.position - b.position;
    });
    var fragment = doc.createDocumentFragment();
    keyed.forEach(function (entry) {
      fragment.appendChild(entry.row);
    });
    body.appendChild(fragment);
    Array.prototype.forEach.call(table.querySelectorAll("thead th[aria-sort]"), function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", order);
    announce("Sorted by " + th.textContent.trim() + ", " + order);
  }

  function initTables() {
    Array.prototype.forEach.call(doc.querySelectorAll("table.cab-table"), function (table) {
      Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th) {
        if (!th.hasAttribute("scope")) th.setAttribute("scope", "col");
        if (!th.classList.contains("cab-sortable") || th.querySelector(".cab-sort")) return;
        var button = element("button", "cab-sort");
        button.type = "button";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
      });
      if (table.classList.contains("cab-leaderboard")) nameSummaries(table);
    });
    doc.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.cab-sort");
      if (button && button.closest("table.cab-table")) sortBy(button.closest("th"));
    });
  }

  // -- popovers ------------------------------------------------------------------------------

  function rowLabel(row) {
    var table = row.closest("table");
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var parts = [];
    for (var i = 0; i < row.cells.length && i < heads.length; i++) {
      var head = heads[i];
      if (head.classList.contains("cab-num") || head.classList.contains("cab-prov")) continue;
      parts.push(row.cells[i].textContent.trim());
    }
    return parts.join(" \u00b7 ");
  }

  function nameSummaries(table) {
    Array.prototype.forEach.call(table.querySelectorAll("details.cab-popover > summary"), function (s) {
      var row = s.closest("tr");
      if (row) s.setAttribute("aria-label", "Provenance of " + rowLabel(row));
    });
  }

  var C_ESCAPES = { n: 10, t: 9, r: 13, a: 7, b: 8, e: 27, E: 27, f: 12, v: 11 };

  /* Reads a $'...' word starting at text[i] (just after the $): returns its value and the index
     after the closing quote. Escapes are bytes (octal \NNN, \xHH) decoded as UTF-8 at the end. */
  function dollarQuoted(text, i) {
    var bytes = [];
    var encoder = new TextEncoder();
    i += 1; // the opening quote
    while (i < text.length && text.charAt(i) !== "'") {
      var ch = text.charAt(i);
      if (ch !== "\\") {
        var code = text.codePointAt(i);
        var chunk = String.fromCodePoint(code);
        Array.prototype.push.apply(bytes, Array.from(encoder.encode(chunk)));
        i += chunk.length;
        continue;
      }
      var next = text.charAt(i + 1);
      var octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
      var hex = next === "x" ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4)) : null;
      if (octal) {
        bytes.push(parseInt(octal[0], 8) & 255);
        i += 1 + octal[0].length;
      } else if (hex) {
        bytes.push(parseInt(hex[0], 16));
        i += 2 + hex[0].length;
      } else if (Object.prototype.hasOwnProperty.call(C_ESCAPES, next)) {
        bytes.push(C_ESCAPES[next]);
        i += 2;
      } else {
        Array.prototype.push.apply(bytes, Array.from(encoder.encode(next)));
        i += 2;
      }
    }
    return { value: new TextDecoder("utf-8").decode(new Uint8Array(bytes)), end: i + 1 };
  }

  /* Splits a POSIX shell command into words: '...', $'...', "...", backslash escapes and
     backslash-newline continuations, which is all cab's reproduce commands use. Each word keeps
     its source text too, so a value written as $'...' can be shown the same way. */
  function shellWords(text) {
    var words = [];
    var word = null;
    var start = 0;
    var i = 0;
    function finish(end) {
      if (word !== null) words.push({ value: word, raw: text.slice(start, end) });
      word = null;
    }
    function begin() {
      if (word === null) {
        word = "";
        start = i;
      }
    }
    while (i < text.length) {
      var ch = text.charAt(i);
      if (ch === "'") {
        begin();
        var end = text.indexOf("'", i + 1);
        if (end < 0) end = text.length;
        word += text.slice(i + 1, end);
        i = end + 1;
      } else if (ch === "$" && text.charAt(i + 1) === "'") {
        begin();
        var quoted = dollarQuoted(text, i + 1);
        word += quoted.value;
        i = quoted.end;
      } else if (ch === "\\") {
        if (text.charAt(i + 1) !== "\n") {
          begin();
          word += text.charAt(i + 1);
        }
        i += 2;
      } else if (ch === '"') {
        begin();
        i += 1;
        while (i < text.length && text.charAt(i) !== '"') {
          if (text.charAt(i) === "\\" && '$`"\\\n'.indexOf(text.charAt(i + 1)) >= 0) {
            if (text.charAt(i + 1) !== "\n") word += text.charAt(i + 1);
            i += 2;
          } else {
            word += text.charAt(i);
            i += 1;
          }
        }
        i += 1;
      } else if (/\s/.test(ch)) {
        finish(i);
        i += 1;
      } else {
        begin();
        word += ch;
        i += 1;
      }
    }
    finish(i);
    return words;
  }

  function copyButton(value, label) {
    var button = element("button", "cab-copy", "Copy");
    button.type = "button";
    button.setAttribute("data-cab-copy", value);
    button.setAttribute("aria-label", label);
    return button;
  }

  function readJson(table, name, fallback) {
    try {
      return JSON.parse(table.getAttribute(name)) || fallback;
    } catch (error) {
      return fallback;
    }
  }

  function keyList(table, command) {
    var fields = readJson(table, "data-cab-fields", []);
    var missing = readJson(table, "data-cab-missing", {});
    var start = parseInt(table.getAttribute("data-cab-argstart"), 10) || 0;
    var args = shellWords(command).slice(start);
    var values = {};
    for (var i = 0; i < args.length; i++) {
      // a value starting with "-" is written joined to its flag: --flag='-value'
      var joined = /^(--[a-z-]+)=/.exec(args[i].value);
      if (joined) {
        var cut = args[i].raw.indexOf("=") + 1;
        values[joined[1]] = { value: args[i].value.slice(joined[0].length), raw: args[i].raw.slice(cut) };
      } else if (i + 1 < args.length) {
        values[args[i].value] = args[i + 1];
        i++;
      }
    }
    // "simple" opts out of theme rules for API definition lists (sphinx_rtd_theme boxes each dt)
    var list = element("dl", "cab-keys simple");
    var unpinned = [];
    fields.forEach(function (field) {
      var name = field[0], label = field[1], flag = field[2];
      var term = element("dt", "", name);
      term.title = label;
      var detail = element("dd");
      if (Object.prototype.hasOwnProperty.call(values, flag)) {
        // a value with hidden characters is shown (and copied) as the command writes it, $'...'
        var word = values[flag];
        var shown = word.raw.charAt(0) === "$" ? word.raw : word.value;
        detail.appendChild(element("code", word.raw.charAt(0) === "$" ? "cab-escaped" : "", shown));
        detail.appendChild(copyButton(shown, "Copy " + name));
      } else {
        unpinned.push(name);
        detail.appendChild(element("span", "cab-missing", MISSING));
        detail.appendChild(element("span", "cab-missing-note", " (" + (missing[name] || "not recorded") + ")"));
      }
      list.appendChild(term);
      list.appendChild(detail);
    });
    return { list: list, unpinned: unpinned };
  }

  function buildPopover(details) {
    if (details.querySelector(":scope > .cab-pop")) return;
    var pop = element("div", "cab-pop");
    pop.setAttribute("role", "group");
    var row = details.closest("tr");
    var table = details.closest("table");
    if (row) pop.appendChild(element("p", "cab-pop-title", rowLabel(row)));
    var pre = details.querySelector(":scope > pre.cab-repro");
    var extra = null;
    if (pre && table && table.hasAttribute("data-cab-fields")) {
      var built = keyList(table, pre.textContent);
      pop.appendChild(built.list);
      if (built.unpinned.length) {
        extra = element("p", "cab-unpinned",
          "This command cannot pin " + built.unpinned.join(", ") +
          ": the cell did not record them, so their flags are left out.");
      }
    }
    Array.prototype.slice.call(details.children).forEach(function (child) {
      if (child.tagName !== "SUMMARY") pop.appendChild(child);
    });
    if (pre) {
      var copy = copyButton(pre.textContent, "Copy the reproduce command");
      copy.textContent = "Copy command";
      pre.parentNode.insertBefore(copy, pre.nextSibling);
    }
    if (extra) pop.appendChild(extra);
    details.appendChild(pop);
  }

  function place(details) {
    var pop = details.querySelector(":scope > .cab-pop");
    var summary = details.querySelector(":scope > summary");
    if (!pop || !summary) return;
    var margin = 8;
    var anchor = summary.getBoundingClientRect();
    var width = pop.offsetWidth;
    var height = pop.offsetHeight;
    var left = Math.min(anchor.right - width, window.innerWidth - width - margin);
    left = Math.max(margin, left);
    var top = anchor.bottom + 4;
    if (top + height > window.innerHeight - margin && anchor.top - 4 - height >= margin) {
      top = anchor.top - 4 - height;
    }
    top = Math.max(margin, Math.min(top, window.innerHeight - height - margin));
    pop.style.left = left + "px";
    pop.style.top = top + "px";
  }

  function closePopover(returnFocus) {
    var details = openPopover;
    if (!details) return;
    openPopover = null;
    details.open = false;
    if (returnFocus) {
      var summary = details.querySelector(":scope > summary");
      if (summary) summary.focus();
    }
  }

  function initPopovers() {
    doc.addEventListener("toggle", function (event) {
      var details = event.target;
      if (!details.classList || !details.classList.contains("cab-popover")) return;
      if (details.open) {
        buildPopover(details);
        if (openPopover && openPopover !== details) openPopover.open = false;
        openPopover = details;
        place(details);
      } else if (openPopover === details) {
        openPopover = null;
      }
    }, true);
    doc.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && openPopover) {
        event.preventDefault();
        closePopover(true);
      }
    });
    doc.addEventListener("click", function (event) {
      if (openPopover && !openPopover.contains(event.target)) closePopover(false);
    });
    var reposition = function () {
      if (openPopover) place(openPopover);
    };
    window.addEventListener("resize", reposition);
    doc.addEventListener("scroll", reposition, true);
  }

  // -- copy ----------------------------------------------------------------------------------

  function copyWithTextarea(text) {
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    area.style.opacity = "0";
    doc.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = doc.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    doc.body.removeChild(area);
    return copied;
  }

  function textToCopy(button) {
    var text = button.getAttribute("data-cab-copy");
    if (text !== null) return text;
    var box = button.closest(".cab-pop, .cab-cell-provenance, details") || button.parentNode;
    var pre = box && box.querySelector("pre");
    return pre ? pre.textContent : "";
  }

  function showCopied(button, copied) {
    var label = button.getAttribute("data-cab-label") || button.textContent;
    button.setAttribute("data-cab-label", label);
    button.textContent = copied ? "Copied" : "Copy failed";
    button.setAttribute("data-cab-state", copied ? "copied" : "failed");
    announce(copied ? "Copied" : "Copy failed");
    window.setTimeout(function () {
      button.textContent = label;
      button.removeAttribute("data-cab-state");
    }, 1600);
  }

  function copy(button) {
    var text = textToCopy(button);
    var fallback = function () {
      var copied = copyWithTextarea(text);
      button.focus();
      showCopied(button, copied);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        showCopied(button, true);
      }, fallback);
    } else {
      fallback();
    }
  }

  function initCopy() {
    doc.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.cab-copy");
      if (button) {
        event.preventDefault();
        copy(button);
      }
    });
  }

  // -- start ---------------------------------------------------------------------------------

  function start() {
    root.classList.add("cab-js");
    initView();
    initTables();
    initPopovers();
    initCopy();
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
