// Progressive enhancement of the DataStore panel: while a load is pending or running, refresh its progress
// from datastore_job_show every second; reload the page when it ends. Without JavaScript the panel offers a link.
(function () {
  'use strict';
  document.querySelectorAll('[data-ds-panel]').forEach(function (panel) {
    var state = panel.getAttribute('data-state');
    if (state !== 'pending' && state !== 'running') { return; }
    var id = panel.getAttribute('data-resource-id');
    var bar = panel.querySelector('[data-ds-progress]');
    var pct = panel.querySelector('[data-ds-percent]');
    var rows = panel.querySelector('[data-ds-rows]');
    var text = panel.querySelector('[data-ds-state-text]');
    var labels = document.documentElement.lang === 'en'
      ? { pending: 'Waiting', running: 'Loading', rows: ' rows' }
      : { pending: '待機中', running: '読み込み中', rows: ' 行' };
    function tick() {
      fetch('/api/3/action/datastore_job_show?resource_id=' + encodeURIComponent(id), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          var job = body && body.result;
          if (!job) { return; }
          if (job.status === 'complete' || job.status === 'error') { window.location.reload(); return; }
          if (bar) { bar.value = job.percent; bar.textContent = job.percent + '%'; }
          if (pct) { pct.textContent = job.percent + '%'; }
          if (rows) { rows.textContent = Number(job.rows_read).toLocaleString() + labels.rows; }
          if (text && labels[job.status]) { text.textContent = labels[job.status]; }
          setTimeout(tick, 1000);
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 1000);
  });
})();
