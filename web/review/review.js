/*
 * The staff review page: sign in, the interviews list, one interview (answers, recoding,
 * transcript), the dashboard and accounts. Plain DOM, no framework. Everything respondents
 * wrote is inserted with textContent (never innerHTML), and the page runs under a CSP that
 * forbids inline scripts, so an answer such as <script>…</script> always stays text.
 */
(() => {
  'use strict';

  const LANG_KEY = 'dk-review-lang';
  const state = {
    me: null,
    meta: null,
    lang: 'fi',
    /** The hash last rendered, so a language switch can re-render it. */
    rendered: '',
    /** Bumped by every view render: a slower, older response must not overwrite a newer one. */
    renderSeq: 0,
  };

  const $ = (id) => document.getElementById(id);
  const t = (key, options) => window.i18next.t(key, options);

  /** Creates an element; string and number children become text nodes (never HTML). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== 'string') node[key] = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  // ---------------------------------------------------------------- formatting
  const locale = () => (state.lang === 'fi' ? 'fi-FI' : 'en-GB');
  function formatTime(iso) {
    if (!iso) return t('common.none');
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Helsinki' }).format(d);
  }
  function formatDate(iso) {
    if (!iso) return t('common.none');
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeZone: 'Europe/Helsinki' }).format(d);
  }
  function formatPercent(share, digits = 0) {
    if (share === null || share === undefined) return t('common.none');
    return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(share);
  }
  function formatNumber(n, digits = 2) {
    if (n === null || n === undefined) return t('common.none');
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
  }
  const questionMeta = (id) => (state.meta ? state.meta.questions.find((q) => q.id === id) : undefined);
  function categoryName(question, id) {
    const q = questionMeta(question);
    const c = q && q.categories.find((x) => x.id === id);
    return c ? c.label : id;
  }
  const waveTitle = (w) => (w ? (w.title && w.title[state.lang]) || w.id : '');

  // ---------------------------------------------------------------- i18n
  async function loadLang(lang) {
    const res = await fetch(`/review/locales/${lang}.json`, { credentials: 'same-origin' });
    const bundles = await res.json();
    if (!window.i18next.isInitialized) {
      await window.i18next.init({
        lng: lang,
        fallbackLng: false,
        ns: ['review', 'survey'],
        defaultNS: 'review',
        resources: { [lang]: bundles },
        interpolation: { escapeValue: false }, // text goes in with textContent only
        showSupportNotice: false,
      });
    } else {
      for (const ns of Object.keys(bundles)) window.i18next.addResourceBundle(lang, ns, bundles[ns], true, true);
      await window.i18next.changeLanguage(lang);
    }
    state.lang = lang;
    document.documentElement.lang = lang;
    document.title = `${t('brand')} – ${t('title')}`;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  }

  // ---------------------------------------------------------------- API
  class ApiError extends Error {
    constructor(status, body, retryAfter) {
      super((body && body.message) || `HTTP ${status}`);
      this.status = status;
      this.body = body;
      this.retryAfter = retryAfter;
    }
  }

  async function api(method, path, body, { quiet401 = false } = {}) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (state.me) headers['X-CSRF-Token'] = state.me.csrfToken;
    }
    const res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: method === 'GET' ? undefined : JSON.stringify(body || {}),
    });
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (res.status === 401 && !quiet401) {
      signedOut(t('signIn.expired'));
    }
    if (!res.ok) throw new ApiError(res.status, data, Number(res.headers.get('Retry-After')) || 0);
    return data;
  }

  // ---------------------------------------------------------------- status line
  function say(message, kind = 'info') {
    const status = $('rv-status');
    status.textContent = message;
    status.className = `rv-status rv-status-${kind}`;
  }
  function fail(error) {
    if (error instanceof ApiError && error.status === 401) return;
    say(t('common.error', { message: error.message }), 'error');
  }

  /** A destructive button asks for a second click within 5 s instead of a dialog. */
  function confirmTwice(button, action) {
    let armed = false;
    let timer = 0;
    const label = button.textContent;
    button.addEventListener('click', async () => {
      if (!armed) {
        armed = true;
        button.textContent = t('common.confirm');
        button.classList.add('rv-button-armed');
        timer = window.setTimeout(() => {
          armed = false;
          button.textContent = label;
          button.classList.remove('rv-button-armed');
        }, 5000);
        return;
      }
      window.clearTimeout(timer);
      armed = false;
      button.textContent = label;
      button.classList.remove('rv-button-armed');
      await action();
    });
  }

  // ---------------------------------------------------------------- views
  function showView(name, { focus = true } = {}) {
    for (const view of document.querySelectorAll('.rv-view')) view.hidden = view.id !== `view-${name}`;
    for (const link of document.querySelectorAll('#rv-nav a')) {
      if (link.dataset.view === name || (name === 'interview' && link.dataset.view === 'interviews')) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (focus) {
      const heading = document.querySelector(`#view-${name} h1`);
      if (heading) heading.focus();
    }
  }

  function parseHash() {
    const hash = window.location.hash.replace(/^#/, '') || '/interviews';
    const [path, query] = hash.split('?');
    return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || '') };
  }

  async function route() {
    if (!state.me) return;
    const { parts, params } = parseHash();
    const sameView = state.rendered.split('?')[0] === window.location.hash.split('?')[0];
    state.rendered = window.location.hash;
    try {
      if (parts[0] === 'interviews' && parts[1]) await showInterview(parts[1]);
      else if (parts[0] === 'dashboard') await showDashboard(params, !sameView);
      else if (parts[0] === 'accounts' && state.me.role === 'admin') await showAccounts();
      else await showInterviews(params, !sameView);
    } catch (error) {
      fail(error);
    }
  }

  // ---------------------------------------------------------------- sign in / out
  function signedOut(message) {
    state.me = null;
    state.rendered = '';
    $('rv-nav').hidden = true;
    $('rv-whoami').hidden = true;
    $('rv-signout').hidden = true;
    $('signin-error').textContent = message || '';
    say('');
    showView('signin');
    $('signin-name').focus();
  }

  async function signedIn(me) {
    state.me = me;
    state.meta = await api('GET', `/api/review/meta?lang=${state.lang}`);
    $('rv-nav').hidden = false;
    $('rv-nav-accounts').hidden = me.role !== 'admin';
    $('rv-whoami').hidden = false;
    $('rv-whoami').textContent = t('signedInAs', { name: me.name, role: t(`roles.${me.role}`) });
    $('rv-signout').hidden = false;
    if (!window.location.hash || window.location.hash === '#/') window.location.hash = '#/interviews';
    await route();
  }

  $('signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('signin-name').value.trim();
    const password = $('signin-password').value;
    const button = $('signin-submit');
    $('signin-error').textContent = '';
    button.disabled = true;
    button.textContent = t('signIn.working');
    try {
      const me = await api('POST', '/api/review/sign-in', { name, password }, { quiet401: true });
      $('signin-password').value = '';
      await signedIn(me);
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        const seconds = error.retryAfter || 60;
        $('signin-error').textContent = t('signIn.tooMany', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
      } else if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
        $('signin-error').textContent = t('signIn.failed');
      } else {
        $('signin-error').textContent = t('common.error', { message: error.message });
      }
      $('signin-password').focus();
    } finally {
      button.disabled = false;
      button.textContent = t('signIn.submit');
    }
  });

  $('rv-signout').addEventListener('click', async () => {
    try {
      await api('POST', '/api/review/sign-out', {});
    } catch (error) {
      // Signed out anyway (e.g. the session had already ended).
    }
    signedOut('');
  });

  $('rv-lang').addEventListener('change', async (event) => {
    const lang = event.target.value;
    window.localStorage.setItem(LANG_KEY, lang);
    await loadLang(lang);
    if (state.me) {
      state.meta = await api('GET', `/api/review/meta?lang=${lang}`);
      $('rv-whoami').textContent = t('signedInAs', { name: state.me.name, role: t(`roles.${state.me.role}`) });
      state.rendered = '';
      await route();
    }
  });

  // ---------------------------------------------------------------- interviews list
  function fillSelect(select, options, value) {
    select.replaceChildren(...options.map((o) => el('option', { value: o.value, text: o.label })));
    select.value = value !== undefined && options.some((o) => o.value === value) ? value : options[0] ? options[0].value : '';
  }

  function fillCategories(question, value) {
    const q = questionMeta(question);
    const options = [{ value: '', label: t('common.any') }, ...(q ? q.categories.map((c) => ({ value: c.id, label: c.label })) : [])];
    fillSelect($('f-category'), options, value);
    $('f-category').disabled = !q || q.categories.length === 0;
  }

  function fillFilters(params) {
    const waves = state.meta.waves.filter((w) => w.kind === 'collected');
    const waveValue = params.has('wave') ? params.get('wave') : state.meta.openWave || '';
    fillSelect($('f-wave'), [{ value: '', label: t('common.any') }, ...waves.map((w) => ({ value: w.id, label: waveTitle(w) }))], waveValue);
    $('f-city').value = params.get('city') || '';
    $('f-status').value = params.get('status') || '';
    const questions = state.meta.questions.filter((q) => q.categories.length > 0);
    fillSelect($('f-question'), [{ value: '', label: t('common.any') }, ...questions.map((q) => ({ value: q.id, label: q.label }))], params.get('question') || '');
    fillCategories($('f-question').value, params.get('category') || '');
    $('f-q').value = params.get('q') || '';
    $('f-low').checked = params.get('lowConfidence') === '1';
    $('f-unreviewed').checked = params.get('unreviewed') === '1';
    $('f-low-label').textContent = t('list.lowConfidence', { percent: formatPercent(state.meta.lowConfidenceBelow) });
  }

  function filterParams() {
    const params = new URLSearchParams();
    params.set('wave', $('f-wave').value);
    for (const [id, name] of [['f-city', 'city'], ['f-status', 'status'], ['f-question', 'question'], ['f-category', 'category'], ['f-q', 'q']]) {
      const value = $(id).value.trim();
      if (value) params.set(name, value);
    }
    if ($('f-low').checked) params.set('lowConfidence', '1');
    if ($('f-unreviewed').checked) params.set('unreviewed', '1');
    return params;
  }

  $('f-question').addEventListener('change', () => fillCategories($('f-question').value, ''));
  $('filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = `#/interviews?${filterParams()}`;
  });
  $('filter-form').addEventListener('reset', (event) => {
    event.preventDefault();
    window.location.hash = `#/interviews?wave=${encodeURIComponent(state.meta.openWave || '')}&r=${Date.now()}`;
  });

  function badge(text, kind) {
    return el('span', { class: `rv-badge rv-badge-${kind}`, text });
  }

  async function showInterviews(params, focus) {
    showView('interviews', { focus });
    fillFilters(params);
    const query = new URLSearchParams();
    for (const name of ['wave', 'city', 'status', 'question', 'category', 'q', 'lowConfidence', 'unreviewed', 'page']) {
      const value = name === 'wave' ? $('f-wave').value : params.get(name);
      if (value) query.set(name, value);
    }
    query.set('pageSize', '20');
    say(t('common.loading'));
    const seq = ++state.renderSeq;
    const data = await api('GET', `/api/review/interviews?${query}`);
    if (seq !== state.renderSeq) return;
    say('');
    $('interviews-caption').textContent = t('list.caption', { count: data.total });
    const body = $('interviews-body');
    if (data.rows.length === 0) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 10, class: 'rv-empty', text: t('list.empty') })));
    } else {
      body.replaceChildren(...data.rows.map(interviewRow));
    }
    const pager = $('pager');
    pager.hidden = data.pages <= 1;
    $('pager-info').textContent = t('list.page', { page: data.page, pages: data.pages });
    const go = (page) => {
      const next = new URLSearchParams(params);
      next.set('wave', $('f-wave').value);
      next.set('page', String(page));
      window.location.hash = `#/interviews?${next}`;
    };
    $('pager-prev').disabled = data.page <= 1;
    $('pager-next').disabled = data.page >= data.pages;
    $('pager-prev').onclick = () => go(data.page - 1);
    $('pager-next').onclick = () => go(data.page + 1);
  }

  function interviewRow(row) {
    const notes = [];
    if (row.duplicateCity) notes.push(badge(t('list.duplicate'), 'warn'));
    if (row.status === 'submitted') notes.push(badge(row.counted ? t('list.counted') : t('list.notCounted'), row.counted ? 'ok' : 'muted'));
    if (row.lowConfidenceAnswers > 0) notes.push(badge(t('list.lowAnswers', { count: row.lowConfidenceAnswers }), 'warn'));
    const cityText = row.city || (row.status === 'withdrawn' ? t('status.withdrawn') : t('list.noCity'));
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, el('a', { href: `#/interviews/${encodeURIComponent(row.id)}`, text: cityText })),
      el('td', { text: row.role ? categoryName('role', row.role) : t('common.none') }),
      el('td', {}, badge(t(`status.${row.status}`), row.status)),
      el('td', { text: row.language.toUpperCase() }),
      el('td', { class: 'rv-time', title: formatTime(row.startedAt), text: formatDate(row.startedAt) }),
      el('td', { class: 'rv-time', title: row.submittedAt ? formatTime(row.submittedAt) : null, text: formatDate(row.submittedAt) }),
      el('td', { class: 'rv-num', text: String(row.answered) }),
      el('td', { class: 'rv-num', text: formatPercent(row.lowestConfidence) }),
      el('td', { text: row.reviewed ? t('common.yes') : t('common.no') }),
      el('td', {}, el('div', { class: 'rv-notes' }, notes)),
    );
  }

  // ---------------------------------------------------------------- one interview
  const canEdit = () => state.me && (state.me.role === 'editor' || state.me.role === 'admin');
  const labels = (list) => (list.length ? list.map((c) => c.label).join(', ') : t('interview.noCategory'));

  async function showInterview(id, { focusAnswer } = {}) {
    showView('interview', { focus: !focusAnswer });
    say(t('common.loading'));
    const seq = ++state.renderSeq;
    const [detail, transcript] = await Promise.all([
      api('GET', `/api/review/interviews/${encodeURIComponent(id)}?lang=${state.lang}`),
      api('GET', `/api/review/interviews/${encodeURIComponent(id)}/transcript`),
    ]);
    if (seq !== state.renderSeq) return;
    say('');
    renderInterview(detail, transcript);
    if (focusAnswer) {
      const heading = document.getElementById(`answer-${focusAnswer}`);
      if (heading) heading.focus();
    }
  }

  function renderInterview(d, transcript) {
    const city = d.counting.city;
    $('interview-heading').textContent = city ? t('interview.heading', { city }) : t('interview.headingNoCity');
    const body = $('interview-body');
    const wave = state.meta.waves.find((w) => w.id === d.wave);
    const facts = [
      [t('interview.wave'), waveTitle(wave) || d.wave],
      [t('interview.status'), t(`status.${d.status}`)],
      [t('interview.channel'), d.channel],
      [t('interview.language'), d.language.toUpperCase()],
      [t('interview.started'), formatTime(d.startedAt)],
      [t('interview.submitted'), formatTime(d.submittedAt)],
    ];
    if (d.amendedAt) facts.push([t('interview.amended'), formatTime(d.amendedAt)]);
    if (d.withdrawnAt) facts.push([t('interview.withdrawnAt'), formatTime(d.withdrawnAt)]);
    if (d.status !== 'withdrawn') {
      facts.push([t('interview.reviewed'), d.review.reviewed ? t('interview.reviewedBy', { by: d.review.by, at: formatTime(d.review.at) }) : t('interview.notReviewed')]);
    }
    const parts = [
      el('section', { class: 'rv-card', 'aria-labelledby': 'facts-heading' },
        el('h2', { id: 'facts-heading', text: t('interview.details') }),
        el('dl', { class: 'rv-facts' }, facts.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: v })))),
        d.status !== 'withdrawn' && canEdit() ? reviewActions(d) : null,
      ),
    ];
    if (d.status === 'withdrawn') {
      parts.push(el('p', { class: 'rv-card rv-notice', text: t('interview.withdrawn') }));
      body.replaceChildren(...parts);
      return;
    }
    parts.push(countingCard(d));
    parts.push(
      el('div', { class: 'rv-columns' },
        el('section', { class: 'rv-answers', 'aria-labelledby': 'answers-heading' },
          el('h2', { id: 'answers-heading', text: t('interview.answers') }),
          d.answers.map((a) => answerCard(d, a)),
        ),
        el('section', { class: 'rv-transcript', 'aria-labelledby': 'transcript-heading' },
          el('h2', { id: 'transcript-heading', text: t('interview.transcript') }),
          transcriptList(transcript.activities),
        ),
      ),
    );
    body.replaceChildren(...parts);
  }

  function reviewActions(d) {
    const button = el('button', {
      type: 'button',
      class: 'rv-button',
      text: d.review.reviewed ? t('interview.markUnreviewed') : t('interview.markReviewed'),
      onclick: async () => {
        try {
          await api('POST', `/api/review/interviews/${encodeURIComponent(d.id)}/reviewed`, { reviewed: !d.review.reviewed });
          await showInterview(d.id);
          say(t('common.saved'), 'ok');
        } catch (error) {
          fail(error);
        }
      },
    });
    return el('div', { class: 'rv-actions' }, button);
  }

  function countingCard(d) {
    const c = d.counting;
    const city = c.city || '';
    let text;
    if (c.reason === 'counted') text = t('interview.counts', { city });
    else if (c.reason === 'superseded') text = t('interview.superseded', { city });
    else if (c.reason === 'staff_excluded') text = t('interview.excluded');
    else if (c.reason === 'no_city') text = t('interview.noCityCount');
    else text = t('interview.notSubmitted');
    const setCounts = (counts) => async () => {
      try {
        await api('POST', `/api/review/interviews/${encodeURIComponent(d.id)}/counts`, { counts });
        await showInterview(d.id);
        say(t('common.saved'), 'ok');
      } catch (error) {
        fail(error);
      }
    };
    const actions = [];
    if (canEdit() && d.status === 'submitted' && c.city && (c.others.length > 0 || !c.counted || d.countsChoice !== null)) {
      if (!(c.counted && d.countsChoice === true)) actions.push(el('button', { type: 'button', class: 'rv-button', text: t('interview.chooseCounts'), onclick: setCounts(true) }));
      if (d.countsChoice !== null) actions.push(el('button', { type: 'button', class: 'rv-button rv-button-quiet', text: t('interview.automatic'), onclick: setCounts(null) }));
    }
    return el('section', { class: 'rv-card', 'aria-labelledby': 'counting-heading' },
      el('h2', { id: 'counting-heading', text: t('interview.counting') }),
      el('p', {}, text, d.countsChoice === true ? ` ${t('interview.chosenByStaff')}` : ''),
      c.others.length ? el('p', { class: 'rv-muted' }, t('interview.others', { count: c.others.length }), ' ',
        c.others.map((o, i) => [i ? ', ' : '', el('a', { href: `#/interviews/${encodeURIComponent(o.id)}`, text: `${formatTime(o.submittedAt)}${o.counted ? ` (${t('list.counted')})` : ''}` })])) : null,
      actions.length ? el('div', { class: 'rv-actions' }, actions) : null,
    );
  }

  function answerCard(d, a) {
    const headingId = `answer-${a.question}`;
    const card = el('article', { class: 'rv-answer', 'aria-labelledby': headingId },
      el('h3', { id: headingId, tabindex: '-1', text: a.label }));
    if (!a.answer) {
      card.append(el('p', { class: 'rv-muted', text: t('interview.notAnswered') }));
      return card;
    }
    const ans = a.answer;
    card.append(
      el('p', { class: 'rv-label', text: t('interview.raw') }),
      el('blockquote', { class: 'rv-raw', lang: ans.lang, text: ans.raw }),
    );
    if (ans.skipped) {
      card.append(el('p', { class: 'rv-muted', text: t('interview.skipped') }));
      return card;
    }
    if (a.type !== 'text') {
      card.append(
        el('p', { class: 'rv-label', text: t('interview.coded') }),
        el('ul', { class: 'rv-chips' }, ans.categories.length ? ans.categories.map((c) => el('li', { text: c.label })) : el('li', { class: 'rv-chip-empty', text: t('interview.noCategory') })),
        el('p', { class: 'rv-meta' },
          t('interview.meta', { confidence: formatPercent(ans.confidence), source: t(`source.${ans.source}`), lang: ans.lang.toUpperCase() }),
          ans.source === 'normaliser' && ans.confidence < state.meta.lowConfidenceBelow ? [' ', badge(t('interview.lowConfidence'), 'warn')] : null),
      );
      if (ans.normaliser) {
        card.append(el('p', { class: 'rv-meta', text: t('interview.botProposed', { categories: labels(ans.normaliser.categories), confidence: formatPercent(ans.normaliser.confidence) }) }));
      }
    }
    if (ans.recodes.length) {
      const name = (ids) => (ids.length ? ids.map((id) => (a.type === 'municipality' ? id : categoryName(a.question, id))).join(', ') : t('interview.noCategory'));
      card.append(el('details', { class: 'rv-history' },
        el('summary', { text: `${t('interview.history')} (${ans.recodes.length})` }),
        el('ol', {}, ans.recodes.map((r) => el('li', { text: t('interview.historyEntry', { by: r.by, at: formatTime(r.at), from: name(r.from), to: name(r.to) }) }))),
      ));
    }
    if (canEdit() && a.type !== 'text') card.append(recodeForm(d, a));
    return card;
  }

  function recodeForm(d, a) {
    const current = a.answer.categories.map((c) => c.id);
    const form = el('form', {});
    const legendId = `recode-${a.question}-legend`;
    let read;
    if (a.type === 'municipality') {
      const input = el('input', { id: `recode-${a.question}`, value: current[0] || '', autocomplete: 'off' });
      form.append(el('div', { class: 'rv-field' }, el('label', { for: input.id, text: t('interview.municipality') }), input));
      read = () => (input.value.trim() ? [input.value.trim()] : []);
    } else {
      const type = a.type === 'single' ? 'radio' : 'checkbox';
      const name = `recode-${a.question}`;
      const options = a.options.map((o) => {
        const id = `${name}-${o.id}`;
        return el('label', { class: 'rv-option', for: id },
          el('input', { type, name, id, value: o.id, checked: current.includes(o.id) }), ' ', o.label);
      });
      form.append(el('fieldset', { 'aria-labelledby': legendId },
        el('legend', { id: legendId, class: 'rv-visually-hidden', text: `${t('interview.recode')}: ${a.label}` }),
        el('div', { class: 'rv-options' }, options)));
      read = () => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
    }
    form.append(el('button', { type: 'submit', class: 'rv-button', text: t('interview.save') }));
    const details = el('details', { class: 'rv-recode' }, el('summary', { text: t('interview.recode') }), form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const result = await api('POST', `/api/review/interviews/${encodeURIComponent(d.id)}/answers/${encodeURIComponent(a.question)}/recode?lang=${state.lang}`, { categories: read() });
        await showInterview(d.id, { focusAnswer: a.question });
        say(result.changed ? t('interview.recoded') : t('interview.unchanged'), 'ok');
      } catch (error) {
        fail(error);
      }
    });
    return details;
  }

  function transcriptList(activities) {
    if (!activities.length) return el('p', { class: 'rv-muted', text: t('interview.transcriptEmpty') });
    return el('ol', { class: 'rv-chat' }, activities.map((a) => {
      if (a.type !== 'message') {
        return el('li', { class: 'rv-chat-system' }, el('span', { text: `${t('interview.activity', { type: a.type })}${a.name ? ` (${a.name})` : ''} · ${formatTime(a.timestamp)}` }));
      }
      const who = a.role === 'user' ? t('interview.respondent') : a.role === 'bot' ? t('interview.bot') : t('interview.system');
      const meta = [who, formatTime(a.timestamp)];
      if (a.locale) meta.push(a.locale);
      if (a.question) meta.push(t('interview.asked', { question: (questionMeta(a.question) || { label: a.question }).label }));
      return el('li', { class: `rv-chat-${a.role}` },
        el('p', { class: 'rv-chat-meta', text: meta.join(' · ') }),
        a.text ? el('p', { class: 'rv-chat-text', lang: a.locale ? a.locale.slice(0, 2) : null, text: a.text }) : null,
        a.attachments.filter((x) => x.text).map((x) => el('p', { class: 'rv-chat-text rv-chat-card', text: x.text })),
        a.buttons.length ? el('ul', { class: 'rv-chips rv-chips-small', 'aria-label': t('interview.buttons') }, a.buttons.map((b) => el('li', { text: b }))) : null,
        a.value ? el('p', { class: 'rv-chat-meta', text: t('interview.value', { value: a.value }) }) : null,
      );
    }));
  }

  // ---------------------------------------------------------------- dashboard
  $('dashboard-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ wave: $('d-wave').value, base: $('d-base').value });
    window.location.hash = `#/dashboard?${params}`;
  });
  $('d-wave').addEventListener('change', () => fillBase($('d-wave').value, ''));

  function fillBase(wave, value) {
    const others = state.meta.waves.filter((w) => w.id !== wave);
    fillSelect($('d-base'), [{ value: '', label: t('dashboard.noBase') }, ...others.map((w) => ({ value: w.id, label: waveTitle(w) }))], value);
  }

  async function showDashboard(params, focus) {
    showView('dashboard', { focus });
    say(t('common.loading'));
    const query = new URLSearchParams({ lang: state.lang });
    if (params.get('wave')) query.set('wave', params.get('wave'));
    if (params.get('base')) query.set('base', params.get('base'));
    const seq = ++state.renderSeq;
    const d = await api('GET', `/api/review/dashboard?${query}`);
    if (seq !== state.renderSeq) return;
    say('');
    state.meta.waves = d.waves;
    fillSelect($('d-wave'), d.waves.map((w) => ({ value: w.id, label: waveTitle(w) })), d.wave.id);
    // An explicit "no comparison" stays chosen; otherwise the server's default base shows.
    fillBase(d.wave.id, params.has('base') && !params.get('base') ? '' : d.base ? d.base.id : '');
    const body = $('dashboard-body');
    const parts = [progressCard(d)];
    if (d.wave.kind === 'collected') parts.push(downloadsCard(d));
    if (d.agreement) parts.push(agreementCard(d));
    const showBase = !(params.has('base') && !params.get('base'));
    parts.push(comparisonCard(d, showBase ? d.comparison : null));
    if (state.me.role === 'admin') parts.push(wavesCard(d));
    body.replaceChildren(...parts);
  }

  function progressCard(d) {
    const p = d.progress;
    const items = [
      [t('dashboard.started'), p.started],
      [t('dashboard.inProgress'), p.inProgress],
      [t('dashboard.submitted'), p.submitted],
      [t('dashboard.withdrawn'), p.withdrawn],
      [t('dashboard.cities'), p.citiesWithSubmission],
      [t('dashboard.counted'), p.citiesCounted],
      [t('dashboard.unreviewed'), p.unreviewed],
    ];
    const status = d.wave.status === 'open' ? t('dashboard.open') : t('dashboard.closed');
    return el('section', { class: 'rv-card', 'aria-labelledby': 'progress-heading' },
      el('h2', { id: 'progress-heading' }, t('dashboard.progress', { wave: waveTitle(d.wave) }), ' ', badge(status, d.wave.status === 'open' ? 'ok' : 'muted')),
      el('dl', { class: 'rv-stats', id: 'progress-stats' }, items.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: String(v) })))),
      p.lastSubmittedAt ? el('p', { class: 'rv-muted', text: t('dashboard.lastSubmitted', { at: formatTime(p.lastSubmittedAt) }) }) : null,
    );
  }

  function downloadsCard(d) {
    const title = waveTitle(d.wave);
    const link = (format) => el('a', {
      class: 'rv-button rv-button-quiet',
      href: `/api/export?wave=${encodeURIComponent(d.wave.id)}&format=${format}`,
      download: `digikysely-${d.wave.id}.${format}`,
      text: t(`dashboard.${format}`, { wave: title }),
    });
    return el('section', { class: 'rv-card', 'aria-labelledby': 'downloads-heading' },
      el('h2', { id: 'downloads-heading', text: t('dashboard.downloads') }),
      el('div', { class: 'rv-actions' }, link('csv'), link('json')));
  }

  function agreementCard(d) {
    const a = d.agreement;
    const retrain = canEdit()
      ? el('button', {
          type: 'button',
          class: 'rv-button rv-button-quiet',
          text: t('dashboard.retrain'),
          onclick: async (event) => {
            event.target.disabled = true;
            try {
              const result = await api('POST', '/api/review/retrain', {});
              say(t('dashboard.retrainDone', { count: result.examples }), 'ok');
            } catch (error) {
              if (error instanceof ApiError && error.status === 501) say(t('dashboard.retrainNotWired'), 'info');
              else fail(error);
            } finally {
              event.target.disabled = false;
            }
          },
        })
      : null;

    const label = (q) => (questionMeta(q) || { label: q }).label;
    const rows = a.questions.map((q) => el('tr', {},
      el('th', { scope: 'row', text: label(q.question) }),
      el('td', { class: 'rv-num', text: String(q.n) }),
      el('td', { class: 'rv-num', text: String(q.kept) }),
      el('td', { class: 'rv-num', text: formatPercent(q.agreement) }),
      el('td', { class: 'rv-num', text: formatNumber(q.kappa) }),
    ));
    return el('section', { class: 'rv-card', 'aria-labelledby': 'agreement-heading' },
      el('h2', { id: 'agreement-heading', text: t('dashboard.agreement') }),
      el('p', { class: 'rv-muted', text: t('dashboard.agreementIntro', { minN: a.minN }) }),
      el('div', { class: 'rv-table-wrap' }, el('table', { class: 'rv-table rv-table-compact', id: 'agreement-table' },
        el('caption', { text: t('dashboard.agreementCaption', { wave: waveTitle(d.wave) }) }),
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col', text: t('dashboard.question') }),
          el('th', { scope: 'col', class: 'rv-num', text: t('dashboard.answers') }),
          el('th', { scope: 'col', class: 'rv-num', text: t('dashboard.kept') }),
          el('th', { scope: 'col', class: 'rv-num', text: t('dashboard.rate') }),
          el('th', { scope: 'col', class: 'rv-num rv-keep-case', text: t('dashboard.kappa') }))),
        el('tbody', {}, rows),
        el('tfoot', {}, el('tr', {},
          el('th', { scope: 'row', text: t('dashboard.overall') }),
          el('td', { class: 'rv-num', text: String(a.overall.n) }),
          el('td', { class: 'rv-num', text: String(a.overall.kept) }),
          el('td', { class: 'rv-num', text: formatPercent(a.overall.agreement) }),
          el('td', {}))),
      )),
      retrain ? el('div', { class: 'rv-actions' }, retrain) : null);
  }

  function comparisonCard(d, c) {
    const section = el('section', { class: 'rv-card', 'aria-labelledby': 'comparison-heading' });
    if (!c) {
      section.append(el('h2', { id: 'comparison-heading', text: t('dashboard.comparisonNone') }));
      return section;
    }
    const base = waveTitle(d.base);
    const target = waveTitle(d.wave);
    section.append(el('h2', { id: 'comparison-heading', text: t('dashboard.comparison', { base, target }) }));
    const grid = el('div', { class: 'rv-charts' });
    for (const q of c.questions) {
      const qLabel = c.labels.questions[q.question] || q.question;
      const src = `/api/compare/chart/${encodeURIComponent(q.question)}.svg?base=${encodeURIComponent(d.base.id)}&target=${encodeURIComponent(d.wave.id)}&lang=${state.lang}`;
      const cell = (x) => (x.unknown ? t('dashboard.unknown') : x.count === null ? formatPercent(x.share) : `${formatPercent(x.share)} (${x.count})`);
      const table = el('table', { class: 'rv-table rv-table-compact', 'data-question': q.question },
        el('caption', { text: `${qLabel} – ${t('dashboard.n')}: ${base} ${q.base.n === null ? t('dashboard.unknown') : q.base.n}, ${target} ${q.target.n === null ? t('dashboard.unknown') : q.target.n}` }),
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col', text: t('dashboard.category') }),
          el('th', { scope: 'col', class: 'rv-num', text: base }),
          el('th', { scope: 'col', class: 'rv-num', text: target }),
          el('th', { scope: 'col', class: 'rv-num', text: t('dashboard.change') }))),
        el('tbody', {}, q.categories.map((r) => el('tr', { 'data-category': r.category },
          el('th', { scope: 'row', text: (c.labels.categories[q.question] || {})[r.category] || r.category }),
          el('td', { class: 'rv-num', text: cell(r.base) }),
          el('td', { class: 'rv-num rv-target', text: cell(r.target) }),
          el('td', { class: 'rv-num', text: r.changePp === null ? t('common.none') : formatNumber(r.changePp, 1) }),
        ))));
      grid.append(el('figure', { class: 'rv-chart' },
        el('img', { src, alt: t('dashboard.chartAlt', { question: qLabel, base, target }) }),
        el('figcaption', {}, el('details', {}, el('summary', { text: `${t('dashboard.figures')}: ${qLabel}` }), el('div', { class: 'rv-table-wrap' }, table))),
      ));
    }
    section.append(grid);
    return section;
  }

  function wavesCard(d) {
    const change = (id, action) => async () => {
      try {
        await api('POST', `/api/review/waves/${encodeURIComponent(id)}/${action}`, {});
        say(t(action === 'open' ? 'dashboard.waveOpened' : 'dashboard.waveClosed', { wave: id }), 'ok');
        state.meta = await api('GET', `/api/review/meta?lang=${state.lang}`);
        state.rendered = '';
        await route();
      } catch (error) {
        fail(error);
      }
    };
    const rows = d.waves.map((w) => {
      const actions = el('td', {});
      if (w.kind === 'collected') {
        const button = el('button', { type: 'button', class: 'rv-button rv-button-quiet', text: w.status === 'open' ? t('dashboard.closeWave') : t('dashboard.openWave') });
        confirmTwice(button, change(w.id, w.status === 'open' ? 'close' : 'open'));
        actions.append(button);
      } else actions.append(el('span', { class: 'rv-muted', text: t('dashboard.baseline') }));
      return el('tr', {},
        el('th', { scope: 'row', text: w.id }),
        el('td', { text: waveTitle(w) }),
        el('td', { text: `${w.fieldwork.start || '?'} – ${w.fieldwork.end || ''}` }),
        el('td', {}, badge(w.status === 'open' ? t('dashboard.open') : t('dashboard.closed'), w.status === 'open' ? 'ok' : 'muted')),
        actions);
    });
    const input = el('input', { id: 'new-wave', pattern: '[A-Za-z0-9_-]{1,64}', autocomplete: 'off', size: 12 });
    const openNew = el('button', { type: 'submit', class: 'rv-button', text: t('dashboard.openNew') });
    const form = el('form', { class: 'rv-inline-form' },
      el('div', { class: 'rv-field' }, el('label', { for: 'new-wave', text: t('dashboard.newWave') }), input), openNew);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.value.trim()) change(input.value.trim(), 'open')();
    });
    return el('section', { class: 'rv-card', 'aria-labelledby': 'waves-heading' },
      el('h2', { id: 'waves-heading', text: t('dashboard.waves') }),
      el('div', { class: 'rv-table-wrap' }, el('table', { class: 'rv-table rv-table-compact' },
        el('caption', { class: 'rv-visually-hidden', text: t('dashboard.wavesCaption') }),
        el('thead', {}, el('tr', {},
          ['waveId', 'waveTitle', 'fieldwork', 'waveStatus', 'actions'].map((k) => el('th', { scope: 'col', text: t(`dashboard.${k}`) })))),
        el('tbody', {}, rows))),
      form);
  }

  // ---------------------------------------------------------------- accounts (admin)
  async function showAccounts() {
    showView('accounts');
    const seq = ++state.renderSeq;
    const { accounts } = await api('GET', '/api/review/accounts');
    if (seq !== state.renderSeq) return;
    const roleOptions = (value) => ['viewer', 'editor', 'admin'].map((r) => el('option', { value: r, text: t(`roles.${r}`), selected: r === value }));
    const rows = accounts.map((a) => {
      const self = a.name === state.me.name;
      const select = el('select', { 'aria-label': t('accounts.changeRole', { name: a.name }), disabled: self }, roleOptions(a.role));
      select.addEventListener('change', async () => {
        try {
          await api('POST', `/api/review/accounts/${encodeURIComponent(a.name)}/role`, { role: select.value });
          say(t('accounts.roleChanged', { name: a.name, role: t(`roles.${select.value}`) }), 'ok');
        } catch (error) {
          fail(error);
        }
      });
      const remove = el('button', { type: 'button', class: 'rv-button rv-button-quiet', text: t('accounts.remove'), disabled: self });
      confirmTwice(remove, async () => {
        try {
          await api('DELETE', `/api/review/accounts/${encodeURIComponent(a.name)}`);
          await showAccounts();
          say(t('accounts.removed', { name: a.name }), 'ok');
        } catch (error) {
          fail(error);
        }
      });
      return el('tr', {},
        el('th', { scope: 'row' }, a.name, self ? ` ${t('accounts.you')}` : ''),
        el('td', {}, select),
        el('td', { text: formatTime(a.createdAt) }),
        el('td', {}, remove));
    });
    const name = el('input', { id: 'new-account', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true });
    const role = el('select', { id: 'new-account-role' }, roleOptions('editor'));
    const form = el('form', { class: 'rv-inline-form' },
      el('div', { class: 'rv-field' }, el('label', { for: 'new-account', text: t('accounts.name') }), name),
      el('div', { class: 'rv-field' }, el('label', { for: 'new-account-role', text: t('accounts.role') }), role),
      el('button', { type: 'submit', class: 'rv-button', text: t('accounts.addButton') }));
    const secret = el('p', { class: 'rv-secret', role: 'alert' });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const result = await api('POST', '/api/review/accounts', { name: name.value.trim(), role: role.value });
        await showAccounts();
        $('accounts-body').append(el('p', { class: 'rv-secret', role: 'alert', text: t('accounts.added', { name: result.account.name, password: result.password }) }));
      } catch (error) {
        fail(error);
      }
    });
    $('accounts-body').replaceChildren(
      el('div', { class: 'rv-table-wrap rv-card' }, el('table', { class: 'rv-table' },
        el('caption', { text: t('accounts.caption') }),
        el('thead', {}, el('tr', {}, ['name', 'role', 'created', 'actions'].map((k) => el('th', { scope: 'col', text: t(`accounts.${k}`) })))),
        el('tbody', {}, rows))),
      el('section', { class: 'rv-card', 'aria-labelledby': 'add-account-heading' },
        el('h2', { id: 'add-account-heading', text: t('accounts.add') }), form),
      secret,
    );
  }

  // ---------------------------------------------------------------- start
  window.addEventListener('hashchange', () => {
    route();
  });

  async function boot() {
    const saved = window.localStorage.getItem(LANG_KEY);
    const lang = saved === 'fi' || saved === 'en' ? saved : (navigator.language || '').toLowerCase().startsWith('fi') ? 'fi' : 'en';
    $('rv-lang').value = lang;
    await loadLang(lang);
    try {
      const me = await api('GET', '/api/review/me', undefined, { quiet401: true });
      await signedIn(me);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) signedOut('');
      else fail(error);
    }
  }

  boot();
})();
