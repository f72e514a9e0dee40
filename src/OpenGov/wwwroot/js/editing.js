// Publisher screens: progressive enhancement only. Without JavaScript the forms post normally.
(function () {
  'use strict';

  // 1. Suggest the URL name (slug) from the title until the publisher types one.
  var name = document.querySelector('input[data-slug-target="auto"]');
  var title = document.getElementById('field-title');
  var org = document.getElementById('field-org');
  if (name && title) {
    var touched = name.value.length > 0;
    name.addEventListener('input', function () { touched = name.value.length > 0; });
    var suggest = function () {
      if (touched) { return; }
      var s = (title.value || '').normalize('NFKC').toLowerCase()
        .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
      if (s.length < 2 || !/[a-z]/.test(s)) {
        // a Japanese title has no ASCII to build on: organization name and today's date instead
        var d = new Date();
        var stamp = d.getFullYear() + ('0' + (d.getMonth() + 1)).slice(-2) + ('0' + d.getDate()).slice(-2);
        var opt = org && org.selectedOptions && org.selectedOptions[0];
        var prefix = opt && opt.getAttribute('data-name') ? opt.getAttribute('data-name') : 'dataset';
        s = title.value.trim().length > 0 ? prefix + '-' + stamp + (s.length > 0 ? '-' + s : '') : '';
      }
      name.value = s;
    };
    title.addEventListener('input', suggest);
    if (org) { org.addEventListener('change', suggest); }
  }

  var summaryOnLoad = document.getElementById("error-summary");
  if (summaryOnLoad) { summaryOnLoad.focus(); }

  // 2. Upload with a progress bar (XMLHttpRequest upload progress).
  var form = document.querySelector('form[data-upload-form]');
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var file = form.querySelector('input[type="file"]');
  var status = form.querySelector('[data-upload-status]');
  var bar = form.querySelector('[data-upload-progress]');
  var text = form.querySelector('[data-upload-percent]');
  form.addEventListener('submit', function (e) {
    if (!file || !file.files || file.files.length === 0) { return; } // a link: plain post
    var max = parseInt(file.getAttribute('data-max-bytes') || '0', 10);
    if (max > 0 && file.files[0].size > max) {
      e.preventDefault();
      status.hidden = false;
      text.textContent = text.getAttribute('data-label-too-large');
      file.setAttribute('aria-invalid', 'true');
      file.focus();
      return;
    }
    e.preventDefault();
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) { b.disabled = true; });
    status.hidden = false;
    bar.value = 0;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action') || window.location.href);
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.upload.addEventListener('progress', function (ev) {
      if (ev.lengthComputable) {
        var pct = Math.round(ev.loaded * 100 / ev.total);
        bar.value = pct;
        text.textContent = pct + '%';
      }
    });
    xhr.upload.addEventListener('load', function () {
      bar.value = 100;
      text.textContent = text.getAttribute('data-label-done');
    });
    var fail = function () {
      buttons.forEach(function (b) { b.disabled = false; });
      text.textContent = text.getAttribute('data-label-failed');
    };
    xhr.addEventListener('error', fail);
    xhr.addEventListener('load', function () {
      var type = xhr.getResponseHeader('Content-Type') || '';
      if (xhr.status === 200 && type.indexOf('json') >= 0) {
        try {
          window.location.assign(JSON.parse(xhr.responseText).redirect);
          return;
        } catch (err) { fail(); return; }
      }
      if (type.indexOf('text/html') >= 0) {
        // the form again, with its error summary
        document.open();
        document.write(xhr.responseText);
        document.close();
        var summary = document.getElementById('error-summary');
        if (summary) { summary.focus(); }
        return;
      }
      fail();
    });
    xhr.send(new FormData(form));
  });
})();
