// Tertulia's small enhancements. Every page works without this file; with it:
// - composers show a live Markdown preview (rendered by the server, exactly as it will be stored);
// - replying posts without reloading the page, appending the new post where it belongs;
// - a new thread's title lists similar threads (solved first) while it is typed;
// - reactions toggle in place, keeping focus;
// - times show how long ago they were ("2 h ago"), the date and time on hover.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function setupPreview(textarea) {
    var target = document.getElementById(textarea.getAttribute("data-preview"));
    if (!target) return;
    var update = debounce(function () {
      if (!textarea.value.trim()) {
        target.hidden = true;
        return;
      }
      postJson("/api/v1/preview", { body: textarea.value }).then(function (result) {
        if (!result.ok) return;
        // The server's sanitised rendering: the same HTML a post stores.
        target.innerHTML = result.data.html;
        target.hidden = false;
      });
    }, 400);
    textarea.addEventListener("input", update);
  }

  function renderPost(post) {
    var article = document.createElement("article");
    article.className = "post" + (post.official ? " official" : "");
    article.id = "post-" + post.number;
    var header = document.createElement("header");
    header.className = "post-header";
    var author = document.createElement("a");
    author.className = "post-author";
    author.href = "/u/" + encodeURIComponent(post.author.username);
    author.textContent = post.author.display_name;
    var number = document.createElement("a");
    number.className = "post-number";
    number.href = post.url;
    number.textContent = "#" + post.number;
    header.appendChild(author);
    header.appendChild(document.createTextNode(" "));
    header.appendChild(number);
    var body = document.createElement("div");
    body.className = "post-body";
    body.innerHTML = post.cooked; // sanitised by the server at write time
    article.appendChild(header);
    article.appendChild(body);
    return article;
  }

  // Appends post `id` to `posts` as the page draws it (time, reactions, actions, badges), and
  // updates the reply count; resolves with the article (already there: the same article).
  function addPost(posts, id) {
    return fetch("/p/" + id + "/fragment", {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      if (!response.ok) throw new Error("fragment " + response.status);
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html; // rendered and escaped by the server's own template
      var wrapper = holder.querySelector("[data-replies-label]");
      var article = wrapper && wrapper.querySelector("article");
      if (!article) throw new Error("no post in the fragment");
      var count = document.getElementById("thread-replies");
      if (count) count.textContent = wrapper.getAttribute("data-replies-label");
      var there = document.getElementById(article.id);
      if (there) return there;
      posts.appendChild(article);
      document.dispatchEvent(new CustomEvent("tertulia:post-added"));
      return article;
    });
  }

  // A live stream (server-sent events) whose connection is let go while the page is hidden in
  // the back/forward cache and opened again when the page comes back. A browser speaking HTTP/1.1
  // keeps at most six connections to a server, and pages kept in that cache would hold theirs:
  // after a few pages with live parts the next click would wait for one to be freed.
  function live(url, events) {
    var source = null;
    function open() {
      source = new EventSource(url);
      Object.keys(events).forEach(function (name) {
        source.addEventListener(name, events[name]);
      });
    }
    open();
    window.addEventListener("pagehide", function () {
      if (source) source.close();
      source = null;
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && !source) open();
    });
  }

  // New replies by others, live: the server says which posts arrived; the bar offers them
  // ("2 new replies — show") and shows them in order when pressed, without a reload.
  function setupLiveThread(bar) {
    if (typeof EventSource === "undefined") return;
    var posts = document.querySelector(".posts");
    var button = bar.querySelector("button");
    if (!posts || !button) return;
    var waiting = [];
    function label() {
      // The reader's own reply, added by the composer, is already on the page.
      waiting = waiting.filter(function (post) {
        return !document.getElementById("post-" + post.number);
      });
      var n = waiting.length;
      button.textContent = n === 1 ? bar.getAttribute("data-one")
        : bar.getAttribute("data-other").replace("#", n);
      bar.hidden = n === 0;
    }
    live(bar.getAttribute("data-thread-live"), {
      posts: function (message) {
        JSON.parse(message.data).posts.forEach(function (post) {
          var known = waiting.some(function (w) { return w.id === post.id; });
          if (!known) waiting.push(post);
        });
        label();
      },
    });
    document.addEventListener("tertulia:post-added", label);
    button.addEventListener("click", function () {
      var shown = waiting;
      waiting = [];
      label();
      var first = null;
      shown.reduce(function (done, post) {
        return done.then(function () {
          return addPost(posts, post.id).then(function (article) {
            if (!first) {
              first = article;
              article.setAttribute("tabindex", "-1");
              article.focus();
            }
          }, function () {});
        });
      }, Promise.resolve());
    });
  }

  // The header's notification count follows new notifications and ones read in other tabs.
  function setupLiveUnread(bell) {
    if (typeof EventSource === "undefined") return;
    live(bell.getAttribute("data-live-unread"), {
      unread: function (message) {
        var data = JSON.parse(message.data);
        bell.textContent = data.label;
        bell.classList.toggle("has-unread", data.unread > 0);
      },
    });
  }

  function setupLiveReply(form) {
    var threadId = form.getAttribute("data-live-reply");
    var posts = document.querySelector(".posts");
    var nextLink = document.querySelector(".pager a[rel=next]");
    // Only when the last page is shown: otherwise the normal POST lands on the right page.
    if (!posts || nextLink) return;
    form.addEventListener("submit", function (event) {
      var textarea = form.querySelector("textarea[name=body]");
      var official = form.querySelector("input[name=official]");
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      postJson("/api/v1/threads/" + threadId + "/posts", {
        body: textarea.value,
        official: official ? official.checked : false,
      }).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          // Let the server render the form with its error messages.
          form.submit();
          return;
        }
        textarea.value = "";
        if (official) official.checked = false;
        var preview = document.getElementById(textarea.getAttribute("data-preview"));
        if (preview) preview.hidden = true;
        addPost(posts, result.data.id).then(function (article) {
          article.setAttribute("tabindex", "-1");
          article.focus();
        }, function () {
          var article = renderPost(result.data);
          posts.appendChild(article);
          article.setAttribute("tabindex", "-1");
          article.focus();
        });
      }, function () {
        button.disabled = false;
        form.submit();
      });
    });
  }

  // Reactions toggle in place: the counts and pressed states of the post's reactions come from
  // the server's answer, and focus stays on the button. Without this, the form posts and the
  // page comes back at the post.
  function setupReactions(container) {
    container.addEventListener("submit", function (event) {
      var form = event.target;
      var postId = form.getAttribute && form.getAttribute("data-react");
      if (!postId) return;
      event.preventDefault();
      var button = form.querySelector("button");
      var kind = form.querySelector("input[name=kind]").value;
      postJson("/api/v1/posts/" + postId + "/reactions", { kind: kind }).then(function (result) {
        if (!result.ok) {
          form.submit();
          return;
        }
        var footer = form.parentNode;
        result.data.reactions.forEach(function (reaction) {
          var other = footer.querySelector("button[data-kind='" + reaction.kind + "']");
          if (!other) return;
          other.setAttribute("aria-pressed", reaction.mine ? "true" : "false");
          other.classList.toggle("mine", reaction.mine);
          var count = other.querySelector(".reaction-count");
          if (count) count.textContent = String(reaction.count);
        });
        button.focus();
      }, function () {
        form.submit();
      });
    });
  }

  function setupSimilar(input) {
    var target = document.getElementById(input.getAttribute("data-similar"));
    if (!target) return;
    var list = target.querySelector("ul");
    var latest = 0;
    var update = debounce(function () {
      var title = input.value.trim();
      var asked = ++latest;
      if (title.length < 4) {
        target.hidden = true;
        return;
      }
      fetch("/api/v1/search/similar?title=" + encodeURIComponent(title), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (threads) {
        // An older answer arriving late must not replace a newer one.
        if (asked !== latest) return;
        list.textContent = "";
        threads.forEach(function (thread) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = thread.url;
          link.textContent = thread.title;
          item.appendChild(link);
          if (thread.solved) {
            var mark = document.createElement("strong");
            mark.textContent = target.getAttribute("data-solved") || "✓";
            item.appendChild(document.createTextNode(" · "));
            item.appendChild(mark);
          }
          list.appendChild(item);
        });
        target.hidden = threads.length === 0;
      }, function () {});
    }, 300);
    input.addEventListener("input", update);
  }

  // Event times: the server writes them on the event's clock (labelled); a reader without a
  // time zone in their profile sees them on the browser's, labelled with its zone, and the
  // event's own time stays in the tooltip.
  function showLocal(time) {
    var at = new Date(time.getAttribute("datetime"));
    if (isNaN(at.getTime()) || typeof Intl === "undefined") return;
    var shown = new Intl.DateTimeFormat(undefined, {
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    }).format(at);
    time.title = time.textContent;
    time.textContent = shown;
  }

  // An event's questions, live: the server sends the whole list after every change (server-
  // sent events); the list is rebuilt with the same forms the page has without JavaScript.
  function setupLiveQuestions(section) {
    if (typeof EventSource === "undefined") return;
    var list = section.querySelector("ol.questions");
    var empty = section.querySelector(".questions-empty");
    var tokenInput = document.querySelector("input[name=csrf_token]");
    var token = tokenInput ? tokenInput.value : "";
    function form(action, label, fields) {
      var f = document.createElement("form");
      f.method = "post";
      f.action = action;
      f.className = "inline";
      var all = [["csrf_token", token]].concat(fields || []);
      all.forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        f.appendChild(input);
      });
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "link";
      button.textContent = label;
      f.appendChild(button);
      return f;
    }
    function votes(n) {
      return n === 1 ? section.getAttribute("data-votes-one")
        : section.getAttribute("data-votes-other").replace("{n}", n);
    }
    function show(message) {
      var data = JSON.parse(message.data);
      var base = "/events/" + data.event_id + "/questions/";
      list.textContent = "";
      data.questions.forEach(function (q) {
        var item = document.createElement("li");
        item.className = "question " + q.state;
        item.setAttribute("data-question", q.id);
        var text = document.createElement("p");
        text.className = "question-text";
        text.textContent = q.text;
        item.appendChild(text);
        var meta = document.createElement("p");
        meta.className = "meta";
        meta.textContent = "@" + q.author + " · " + votes(q.votes);
        if (q.state !== "open") {
          var mark = document.createElement("strong");
          mark.textContent = section.getAttribute("data-" + q.state) || q.state;
          meta.appendChild(document.createTextNode(" · "));
          meta.appendChild(mark);
        }
        item.appendChild(meta);
        if (token && q.state === "open" && !q.mine && !q.voted) {
          item.appendChild(form(base + q.id + "/vote", section.getAttribute("data-vote") || "+1"));
        }
        if (token && data.runs) {
          ["answered", "dismissed", "open"].forEach(function (state) {
            if (state === q.state) return;
            item.appendChild(form(base + q.id + "/state",
              section.getAttribute("data-mark-" + state) || state, [["state", state]]));
          });
        }
        list.appendChild(item);
      });
      if (empty) empty.hidden = data.questions.length > 0;
    }
    live(section.getAttribute("data-live"), { questions: show });
  }

  // Drafts: what the member types is kept on the server (a second and a half after they stop),
  // so it survives a crash or continues on another device. Sending the post removes it there.
  function setupDraft(textarea) {
    var form = textarea.form;
    var url = textarea.getAttribute("data-draft");
    var status = form.querySelector(".draft-status");
    var title = form.querySelector("[data-draft-title]");
    var timer = null;
    var last = JSON.stringify({ title: title ? title.value : "", body: textarea.value });
    function save() {
      timer = null;
      var text = JSON.stringify({ title: title ? title.value : "", body: textarea.value });
      if (text === last) return;
      last = text;
      fetch(url, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: text,
      }).then(function (response) {
        if (response.ok && status) status.textContent = status.getAttribute("data-saved");
      }, function () {});
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    }
    textarea.addEventListener("input", later);
    if (title) title.addEventListener("input", later);
    // A save still waiting must not bring back the draft the post just removed.
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      timer = null;
      last = "";
      if (status) status.textContent = "";
    });
  }

  // "@" in a composer suggests members (those in the thread first): arrows move, Enter or Tab
  // picks, Escape closes; the list is a listbox the text area points at.
  function setupMentions(textarea) {
    var base = textarea.getAttribute("data-mentions");
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = textarea.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.getAttribute("data-mentions-label") || "@");
    list.hidden = true;
    textarea.parentNode.insertBefore(list, textarea.nextSibling);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    var found = [];
    var active = -1;
    var start = -1;
    var asked = 0;
    function close() {
      list.hidden = true;
      found = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }
    function highlight() {
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      if (active >= 0) textarea.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    function pick(i) {
      var name = found[i].username;
      var caret = textarea.selectionStart;
      textarea.value = textarea.value.slice(0, start) + name + " " + textarea.value.slice(caret);
      var at = start + name.length + 1;
      textarea.setSelectionRange(at, at);
      close();
      textarea.focus();
      textarea.dispatchEvent(new Event("input"));
    }
    function show(members) {
      list.textContent = "";
      found = members;
      active = members.length ? 0 : -1;
      members.forEach(function (m, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.textContent = "@" + m.username + " · " + m.display_name + (m.department ? " (" + m.department + ")" : "");
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(item);
      });
      list.hidden = members.length === 0;
      highlight();
    }
    var lookUp = debounce(function () {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|[\s(])@([A-Za-z0-9_.-]{0,30})$/.exec(before);
      var inThread = base.indexOf("thread=") >= 0;
      if (!match || (!match[2] && !inThread)) return close();
      start = textarea.selectionStart - match[2].length;
      var ask = ++asked;
      var joiner = base.slice(-1) === "?" ? "" : "&";
      fetch(base + joiner + "q=" + encodeURIComponent(match[2]), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (members) {
        if (ask === asked) show(members);
      }, close);
    }, 200);
    textarea.addEventListener("input", lookUp);
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + found.length) % found.length;
        highlight();
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // A piece of page the server draws (its own template, escaped there): the first element
  // matching `selector` in the HTML at `url`; rejects when there is none.
  function fetchFragment(url, selector) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      if (!response.ok) throw new Error(url + " " + response.status);
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var found = holder.querySelector(selector);
      if (!found) throw new Error("no " + selector + " in " + url);
      return found;
    });
  }

  // Member cards: pressing an author's name opens their card over the page (role, department,
  // joining date, posts, solutions, reactions received) with a link to the profile; Escape,
  // the close button or a click elsewhere closes it and focus returns to the name.
  function setupCards() {
    var open = null;
    function close() {
      if (!open) return;
      var back = open.from;
      open.card.remove();
      open = null;
      back.focus();
    }
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.post-author");
      if (open && !open.card.contains(event.target)) close();
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var name = link.getAttribute("href").replace(/^\/u\//, "");
      event.preventDefault();
      fetchFragment("/u/" + encodeURIComponent(name) + "/card", ".user-card").then(function (card) {
        close();
        link.parentNode.insertBefore(card, link.nextSibling);
        open = { card: card, from: link };
        card.querySelector(".user-card-close").addEventListener("click", close);
        card.focus();
      }).catch(function () {
        window.location.href = link.href;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && open) close();
    });
  }

  // The bell opens the newest notifications under it (the server's own list, whose entries open
  // through their forms); a second press, Escape or a click elsewhere closes it. Without
  // JavaScript the bell is a link to the notifications page.
  function setupNotificationMenu(bell) {
    var menu = null;
    function close(refocus) {
      if (!menu) return;
      menu.remove();
      menu = null;
      bell.setAttribute("aria-expanded", "false");
      if (refocus) bell.focus();
    }
    bell.setAttribute("aria-expanded", "false");
    bell.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      if (menu) return close(true);
      fetchFragment(bell.getAttribute("data-menu"), ".notification-menu").then(function (found) {
        close(false);
        bell.parentNode.appendChild(found);
        menu = found;
        bell.setAttribute("aria-expanded", "true");
        menu.focus();
      }).catch(function () {
        window.location.href = bell.href;
      });
    });
    document.addEventListener("click", function (event) {
      if (menu && !menu.contains(event.target) && event.target !== bell) close(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu) close(true);
    });
  }

  // A refused form's summary takes the focus (where `autofocus` did not), and each of its links
  // moves it to the field its message describes.
  function setupErrorSummary(summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-field-error]");
      if (!link) return;
      var field = document.querySelector("[aria-describedby~='" + link.getAttribute("data-field-error") + "']");
      if (!field) return;
      event.preventDefault();
      field.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupCards();
    Array.prototype.forEach.call(document.querySelectorAll("a.bell[data-menu]"), setupNotificationMenu);
    var summary = document.getElementById("error-summary");
    if (summary) setupErrorSummary(summary);
    Array.prototype.forEach.call(document.querySelectorAll("time[data-local]"), showLocal);
    Array.prototype.forEach.call(document.querySelectorAll("section[data-live]"), setupLiveQuestions);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-similar]"), setupSimilar);
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-preview]"), setupPreview);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-live-reply]"), setupLiveReply);
    Array.prototype.forEach.call(document.querySelectorAll("[data-thread-live]"), setupLiveThread);
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-unread]"), setupLiveUnread);
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-draft]"), setupDraft);
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mentions]"), setupMentions);
    var posts = document.querySelector(".posts");
    if (posts) setupReactions(posts);
  });
})();
