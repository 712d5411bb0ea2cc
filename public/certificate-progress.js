// Keeps "37 of 120 made, 2 failed" current while a cohort's certificates are made, then shows the finished page.
// Without JavaScript the page refreshes itself instead (a meta refresh inside <noscript>).
(function () {
  var progress = document.querySelector('[data-certificate-progress]');
  if (!progress || !window.fetch) return;
  var url = progress.getAttribute('data-certificate-progress');
  var text = progress.querySelector('strong');
  var refreshLink = progress.querySelector('[data-refresh-link]');
  if (refreshLink) refreshLink.hidden = true;

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (body) {
        if (body.progress.text && body.progress.text !== text.textContent) text.textContent = body.progress.text;
        if (body.progress.queued > 0) setTimeout(poll, 2000);
        // Every certificate is made or failed: the page itself shows the downloads and retry buttons.
        else window.location.reload();
      })
      .catch(function () {
        if (refreshLink) refreshLink.hidden = false;
        setTimeout(poll, 10000);
      });
  }

  setTimeout(poll, 2000);
})();
