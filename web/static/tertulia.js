// Tertulia's small enhancements. Every page works without this file; with it:
// - composers show a live Markdown preview (rendered by the server, exactly as it will be stored);
// - replying posts without reloading the page, appending the new post where it belongs;
// - a new thread's title lists similar threads (solved first) while it is typed.
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
        var article = renderPost(result.data);
        posts.appendChild(article);
        textarea.value = "";
        var preview = document.getElementById(textarea.getAttribute("data-preview"));
        if (preview) preview.hidden = true;
        article.setAttribute("tabindex", "-1");
        article.focus();
      }, function () {
        button.disabled = false;
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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-similar]"), setupSimilar);
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-preview]"), setupPreview);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-live-reply]"), setupLiveReply);
  });
})();
