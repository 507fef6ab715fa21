// Tunesmith Studio: the page served at `/`. Plain JavaScript, no dependencies, talking to the same HTTP API as
// every other client (relative URLs, so it also works behind a proxy that serves Tunesmith under a path).
'use strict';

(() => {
  const API = 'v2/pixverse/';
  const TOKEN_KEY = 'tunesmith.token';
  const PAGE_SIZE = 20;
  // When the live stream is down, non-final songs are checked this often instead.
  const FALLBACK_POLL_MS = 12000;
  const MAX_RECONNECT_MS = 30000;
  const LYRICS_MAX_DEFAULT = 3500;

  const $ = (id) => document.getElementById(id);
  const numberFormat = new Intl.NumberFormat('en-US');

  const state = {
    token: null,
    models: [],
    tracks: new Map(),       // audio_id -> { track, element, view }
    nextOffset: 0,
    hasMore: false,
    uploads: [],             // { id, name, objectURL, path, state }
    stream: null,            // AbortController of the open event stream
    live: false,
    reconnectDelay: 1000,
    retryMs: 3000,
    pollTimer: null,
    reconnectTimer: null,
    lrc: new Map(),          // lrc_url without query -> Promise<lines>
  };

  // ---------------------------------------------------------------- small helpers

  /** Builds an element: h('p', { class: 'x', text: 'y' }, child...). Text is always set as text, never HTML. */
  function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') element.textContent = value;
      else if (name === 'class') element.className = value;
      else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function announce(message) {
    const announcer = $('announcer');
    announcer.textContent = '';
    // A fresh text node after a tick makes screen readers read repeated messages too.
    setTimeout(() => { announcer.textContent = message; }, 50);
  }

  function formatDuration(totalSeconds) {
    const seconds = Math.max(0, Math.floor(totalSeconds));
    const minutes = Math.floor(seconds / 60);
    return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
  }

  function relativeTime(iso) {
    const then = Date.parse(iso);
    if (Number.isNaN(then)) return '';
    const seconds = Math.round((Date.now() - then) / 1000);
    if (seconds < 45) return 'just now';
    if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
    return new Date(then).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  }

  /** JSON.parse that keeps `seed` exact: seeds are 64-bit and would lose digits as JavaScript numbers. */
  function parseJSON(text) {
    return JSON.parse(text, function (key, value, context) {
      if (key === 'seed' && context && typeof context.source === 'string') return context.source;
      return value;
    });
  }

  // ---------------------------------------------------------------- the API

  class APIError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, { json, body, contentType, rawJSON } = {}) {
    const headers = { Authorization: `Bearer ${state.token}`, Accept: 'application/json' };
    let payload = body;
    if (json !== undefined) {
      payload = rawJSON ?? JSON.stringify(json);
      headers['Content-Type'] = 'application/json';
    } else if (contentType) {
      headers['Content-Type'] = contentType;
    }
    let response;
    try {
      response = await fetch(API + path, { method, headers, body: payload, cache: 'no-store' });
    } catch (error) {
      throw new APIError(0, 'The server cannot be reached. Is tunesmith serve running?');
    }
    const text = response.status === 204 ? '' : await response.text();
    let data = null;
    if (text) {
      try { data = parseJSON(text); } catch { data = null; }
    }
    if (!response.ok) {
      const message = (data && typeof data.error === 'string') ? data.error : `HTTP ${response.status}`;
      if (response.status === 401 && path !== 'models') signOut('Your token is no longer accepted. Sign in again.');
      throw new APIError(response.status, message);
    }
    return data;
  }

  const encodeID = (audioID) => encodeURIComponent(audioID);

  // ---------------------------------------------------------------- sign-in

  /** A `#token=...` link (printed by the first start of `tunesmith serve`) signs in; the fragment never reaches
   *  the server, and is removed from the address bar and history at once. */
  function takeTokenFromLink() {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!match) return false;
    try { localStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1])); } catch { /* storage off: not kept */ }
    state.token = decodeURIComponent(match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return true;
  }

  function signInOrAsk() {
    if (state.token) {
      signIn(state.token).catch((error) => {
        if (error.status === 401) signOut(error.message);
        else showSignIn(error.message);
      });
    } else {
      showSignIn('');
    }
  }

  function showSignIn(message) {
    stopLive();
    $('studio-view').hidden = true;
    $('account').hidden = true;
    $('signin-view').hidden = false;
    setFieldError('token', message || '');
    $('token').focus();
  }

  function signOut(message) {
    try { localStorage.removeItem(TOKEN_KEY); } catch { /* nothing stored */ }
    state.token = null;
    state.tracks.clear();
    $('tracks').replaceChildren();
    showSignIn(message);
  }

  async function signIn(token) {
    state.token = token;
    let models;
    try {
      models = await api('GET', 'models');
    } catch (error) {
      state.token = null;
      if (error.status === 401) throw new APIError(401, 'That token is not accepted by this server.');
      throw error;
    }
    try { localStorage.setItem(TOKEN_KEY, token); } catch { /* kept for this visit only */ }
    state.models = models.models || [];
    $('signin-view').hidden = true;
    $('studio-view').hidden = false;
    $('account').hidden = false;
    setFieldError('token', '');
    fillModels();
    loadAccounts();
    await loadTracks(true);
    startLive();
  }

  async function loadAccounts() {
    try {
      const accounts = Object.values(await api('GET', 'accounts'));
      const unlimited = accounts.some((account) => account.credits === null || account.credits === undefined);
      const credits = accounts.reduce((sum, account) => sum + (account.credits || 0), 0);
      const first = accounts[0] ? accounts[0].email : '';
      const more = accounts.length > 1 ? ` +${accounts.length - 1}` : '';
      $('account-summary').textContent =
        `${first}${more} · ${unlimited ? 'unlimited credits' : `${numberFormat.format(credits)} credits`}`;
    } catch (error) {
      $('account-summary').textContent = error.status === 404 ? 'No account yet: ask the operator' : '';
    }
  }

  // ---------------------------------------------------------------- the create form

  const fieldIDs = ['prompt', 'model', 'instrumental', 'lyrics', 'images', 'seed', 'stems'];

  function currentModel() {
    return state.models.find((model) => model.model === $('model').value) || state.models[0];
  }

  function fillModels() {
    const select = $('model');
    const previous = select.value;
    select.replaceChildren(...state.models.map((model) => h('option', {
      value: model.model,
      text: `${model.model} · ${numberFormat.format(model.credits)} credits${model.default ? ' (default)' : ''}`,
    })));
    const fallback = state.models.find((model) => model.default) || state.models[0];
    select.value = state.models.some((model) => model.model === previous) ? previous : (fallback ? fallback.model : '');
    updateModel();
  }

  function updateModel() {
    const model = currentModel();
    if (!model) return;
    const parts = [`Prompt up to ${numberFormat.format(model.prompt_max)} characters`];
    parts.push(model.custom_lyrics ? `your lyrics up to ${numberFormat.format(model.lyrics_max)}` : 'lyrics written for you');
    if (model.max_images > 0) parts.push(`1–${model.max_images} reference images`);
    parts.push(`up to ${Math.round(model.max_seconds / 60)} min`);
    parts.push(`${numberFormat.format(model.credits)} credits`);
    $('model-info').textContent = `${parts.join(' · ')}. Rendered by the ${model.backend} engine.`;
    $('images-field').hidden = !(model.max_images > 0);
    updateLyricsField();
    updateCounters();
  }

  function updateLyricsField() {
    const model = currentModel();
    const instrumental = $('instrumental').checked;
    const takesLyrics = model ? model.custom_lyrics : true;
    const lyrics = $('lyrics');
    lyrics.disabled = instrumental || !takesLyrics;
    document.querySelector('#lyrics-field details').hidden = lyrics.disabled;
    const note = $('lyrics-note');
    note.hidden = !lyrics.disabled;
    note.textContent = instrumental
      ? 'An instrumental has no vocals, so no lyrics.'
      : `${model ? model.model : 'This model'} writes its own lyrics.`;
  }

  function updateCounter(id, length, max) {
    const counter = $(`${id}-counter`);
    counter.textContent = `${numberFormat.format(length)} / ${numberFormat.format(max)}`;
    counter.classList.toggle('over', length > max);
  }

  function updateCounters() {
    const model = currentModel();
    // The server counts characters (extended grapheme clusters): [...text] is close, and exact for most text.
    updateCounter('prompt', [...$('prompt').value].length, model ? model.prompt_max : 2000);
    updateCounter('lyrics', [...$('lyrics').value].length, (model && model.lyrics_max) || LYRICS_MAX_DEFAULT);
    $('images-counter').textContent = `${state.uploads.length} / ${model ? model.max_images : 10}`;
  }

  function setFieldError(field, message) {
    const error = $(`${field}-error`);
    if (!error) return;
    error.textContent = message;
    error.hidden = !message;
    const input = $(field);
    if (input) {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  function clearErrors() {
    for (const field of fieldIDs) setFieldError(field, '');
    $('form-error').hidden = true;
  }

  /** The contract's 400 messages start with the parameter they concern (`prompt: at most ...`): show each next to
   *  its field. Anything else goes above the button. */
  function showCreateError(error) {
    const match = /^([A-Za-z_]+?)(?:_\d+)?: (.+)$/s.exec(error.message || '');
    const fieldByParameter = {
      prompt: 'prompt', model: 'model', instrumental: 'instrumental', lyrics: 'lyrics',
      image_path: 'images', seed: 'seed', stems: 'stems',
    };
    const field = error.status === 400 && match ? fieldByParameter[match[1]] : undefined;
    if (field) {
      const text = match[2].charAt(0).toUpperCase() + match[2].slice(1);
      setFieldError(field, text);
      const input = $(field);
      if (input && !input.disabled) input.focus();
      return;
    }
    const formError = $('form-error');
    formError.textContent = error.message;
    formError.hidden = false;
  }

  /** The create body; `seed` is written as a JSON number from its digits (it can exceed JavaScript's exact range). */
  function createBody() {
    const model = currentModel();
    const body = { prompt: $('prompt').value };
    if (model) body.model = model.model;
    if ($('instrumental').checked) body.instrumental = true;
    const lyrics = $('lyrics').value;
    if (!$('lyrics').disabled && lyrics.trim()) body.lyrics = lyrics;
    if (model && model.max_images > 0) {
      state.uploads.filter((upload) => upload.path).forEach((upload, index) => {
        body[`image_path_${index + 1}`] = upload.path;
      });
    }
    if ($('stems').checked) body.stems = true;
    const seed = $('seed').value.trim();
    const json = JSON.stringify(body);
    if (!seed) return { json: body, rawJSON: json };
    // Digits go in as a number; anything else as text, so the server names the problem.
    const seedJSON = /^\d{1,20}$/.test(seed) ? seed : JSON.stringify(seed);
    return { json: body, rawJSON: `${json.slice(0, -1)},"seed":${seedJSON}}` };
  }

  async function submitCreate(event) {
    event.preventDefault();
    clearErrors();
    if (state.uploads.some((upload) => upload.state === 'uploading')) {
      setFieldError('images', 'Wait until the images are uploaded.');
      return;
    }
    const button = $('create-button');
    button.disabled = true;
    button.textContent = 'Creating…';
    try {
      const created = await api('POST', 'music/create', createBody());
      announce('Song queued. It appears at the top of your songs.');
      await refreshTrack(created.audio_id, created);
      // On a narrow screen the songs are below the form: show the new one.
      const entry = state.tracks.get(created.audio_id);
      if (entry && window.matchMedia('(max-width: 959px)').matches) entry.element.scrollIntoView({ block: 'start' });
    } catch (error) {
      showCreateError(error);
    } finally {
      button.disabled = false;
      button.textContent = 'Create song';
    }
  }

  // ---------------------------------------------------------------- reference images

  async function addImages(files) {
    const model = currentModel();
    const room = (model ? model.max_images : 10) - state.uploads.length;
    const chosen = [...files].slice(0, Math.max(0, room));
    setFieldError('images', files.length > chosen.length ? `At most ${model ? model.max_images : 10} images.` : '');
    await Promise.all(chosen.map(uploadImage));
  }

  async function uploadImage(file) {
    const upload = { id: crypto.randomUUID(), name: file.name, objectURL: URL.createObjectURL(file), path: null, state: 'uploading' };
    state.uploads.push(upload);
    renderThumbs();
    try {
      const response = await api('POST', 'files', { body: file, contentType: file.type || 'application/octet-stream' });
      upload.path = response.result[0].path;
      upload.state = 'ready';
      announce(`${file.name} uploaded.`);
    } catch (error) {
      removeUpload(upload.id);
      setFieldError('images', `${file.name}: ${error.message}`);
      return;
    }
    renderThumbs();
  }

  function removeUpload(id) {
    const upload = state.uploads.find((item) => item.id === id);
    if (upload) URL.revokeObjectURL(upload.objectURL);
    state.uploads = state.uploads.filter((item) => item.id !== id);
    renderThumbs();
  }

  function renderThumbs() {
    $('thumbs').replaceChildren(...state.uploads.map((upload, index) => h('li', {
      class: 'thumb', 'data-state': upload.state, 'data-path': upload.path || '',
    },
    h('img', { src: upload.objectURL, alt: `Reference image ${index + 1}: ${upload.name}` }),
    h('span', { class: 'thumb-state', text: upload.state === 'uploading' ? 'Uploading…' : `image ${index + 1}` }),
    h('button', {
      type: 'button', class: 'thumb-remove', 'aria-label': `Remove image ${index + 1} (${upload.name})`, text: '×',
      onclick: () => removeUpload(upload.id),
    }))));
    updateCounters();
  }

  function setUpDropzone() {
    const zone = $('dropzone');
    $('images').addEventListener('change', (event) => {
      addImages(event.target.files);
      event.target.value = '';
    });
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      addImages([...event.dataTransfer.files].filter((file) => file.type.startsWith('image/')));
    });
  }

  // ---------------------------------------------------------------- the library

  async function loadTracks(reset) {
    const offset = reset ? 0 : state.nextOffset;
    const page = await api('GET', `music?limit=${PAGE_SIZE}&offset=${offset}`);
    for (const track of page.data) upsert(track);
    if (reset || offset === state.nextOffset) {
      state.nextOffset = page.next_offset;
      state.hasMore = page.has_more;
    }
    $('load-more').hidden = !state.hasMore;
    updateEmpty();
  }

  async function refreshTrack(audioID, fallback) {
    try {
      upsert(await api('GET', `music/${encodeID(audioID)}`));
    } catch (error) {
      if (fallback) upsert({ ...fallback, prompt: $('prompt').value, created_at: new Date().toISOString(), updated_at: '' });
    }
  }

  function updateEmpty() {
    $('empty').hidden = state.tracks.size > 0;
  }

  const statusOrder = { QUEUED: 0, GENERATING: 1, COMPLETED: 2, FAILED: 2 };

  /** Is `incoming` at least as new as `current`? Events and page reads can cross; the later state wins. */
  function isNewer(incoming, current) {
    if (!current) return true;
    if (current.audio_status_final && !incoming.audio_status_final) return false;
    if ((incoming.updated_at || '') !== (current.updated_at || '')) {
      return (incoming.updated_at || '') > (current.updated_at || '');
    }
    return (statusOrder[incoming.audio_status_name] ?? 0) >= (statusOrder[current.audio_status_name] ?? 0);
  }

  function upsert(track) {
    const entry = state.tracks.get(track.audio_id);
    if (entry && !isNewer(track, entry.track)) return;
    const previous = entry && entry.track;
    if (entry && previous.audio_status_name === track.audio_status_name && !track.audio_status_final) {
      entry.track = track;
      updateProgress(entry);
      return;
    }
    if (entry && previous.audio_status_final && track.audio_status_final) {
      // Finished tracks never change; keep the player (and where it is in the song).
      entry.track = track;
      return;
    }
    const element = renderTrack(track);
    if (entry) {
      entry.element.replaceWith(element);
      entry.element = element;
      entry.track = track;
    } else {
      state.tracks.set(track.audio_id, { track, element });
      insertInOrder(element, track);
    }
    if (previous && !previous.audio_status_final && track.audio_status_final) {
      const title = track.title || 'Your song';
      announce(track.audio_status_name === 'COMPLETED' ? `“${title}” is ready to play.` : `“${title}” ${failureText(track)}.`);
    }
    updateEmpty();
  }

  function insertInOrder(element, track) {
    const list = $('tracks');
    const key = track.created_at || '';
    for (const child of list.children) {
      const other = state.tracks.get(child.dataset.audioId);
      if (other && (other.track.created_at || '') < key) {
        list.insertBefore(element, child);
        return;
      }
    }
    list.append(element);
  }

  function displayStatus(track) {
    if (track.audio_status_name === 'FAILED' && track.fail_code === 'cancelled') return 'CANCELLED';
    return track.audio_status_name;
  }

  const statusLabels = { QUEUED: 'Queued', GENERATING: 'Generating', COMPLETED: 'Ready', FAILED: 'Failed', CANCELLED: 'Cancelled' };

  function failureText(track) {
    return track.fail_code === 'cancelled' ? 'was cancelled' : 'failed';
  }

  function renderTrack(track) {
    const status = displayStatus(track);
    const titleID = `title-${track.asset_id}`;
    const meta = [track.model, track.duration ? formatDuration(track.duration) : null, relativeTime(track.created_at)]
      .filter(Boolean).join(' · ');
    const article = h('li', { class: 'card track', 'data-audio-id': track.audio_id, 'data-status': status, 'aria-labelledby': titleID },
      h('div', { class: 'track-head' },
        h('div', {},
          h('h3', { class: 'track-title', id: titleID, text: track.title || (track.audio_status_final ? 'Untitled' : 'New song') }),
          h('p', { class: 'track-meta', text: meta })),
        h('span', { class: 'badge', 'data-status': status, text: statusLabels[status] || status })),
      h('p', { class: 'track-prompt', text: track.prompt || '' }));

    if (!track.audio_status_final) {
      article.append(renderRunning(track));
    } else if (track.audio_status_name === 'COMPLETED') {
      article.append(...renderFinished(track));
    } else {
      const cancelled = track.fail_code === 'cancelled';
      article.append(h('p', {
        class: cancelled ? 'failure cancelled' : 'failure',
        text: cancelled ? 'Cancelled; its credits were refunded.' : `Failed: ${track.fail_reason || track.fail_code || 'unknown reason'}. Credits were refunded.`,
      }));
      article.append(h('div', { class: 'actions' }, sameSeedButton(track, 'Try again')));
    }
    return article;
  }

  function renderRunning(track) {
    const generating = track.audio_status_name === 'GENERATING';
    const progress = h('progress', { max: 100, 'aria-label': 'Progress' });
    if (generating) progress.value = track.progress || 0;
    const text = h('span', { class: 'status-text', 'data-role': 'status-text' });
    const cancel = h('button', {
      type: 'button', class: 'button danger small', text: 'Cancel',
      'aria-label': `Cancel ${track.title || 'this song'}`,
      onclick: () => cancelTrack(track.audio_id, cancel),
    });
    const row = h('div', { class: 'progress-row' }, progress, text, cancel);
    setStatusText(text, track);
    return row;
  }

  function setStatusText(element, track) {
    if (track.audio_status_name === 'GENERATING') {
      const since = Date.parse(track.started_at || track.updated_at || track.created_at);
      const elapsed = Number.isNaN(since) ? '' : ` · ${formatDuration((Date.now() - since) / 1000)} elapsed`;
      element.textContent = `${track.progress || 0} %${elapsed}`;
    } else {
      const since = Date.parse(track.created_at);
      element.textContent = `Waiting for a free worker${Number.isNaN(since) ? '' : ` · ${formatDuration((Date.now() - since) / 1000)}`}`;
    }
  }

  function updateProgress(entry) {
    const progress = entry.element.querySelector('progress');
    if (progress && entry.track.audio_status_name === 'GENERATING') progress.value = entry.track.progress || 0;
    const text = entry.element.querySelector('[data-role="status-text"]');
    if (text) setStatusText(text, entry.track);
  }

  /** Elapsed times tick locally; nothing is fetched for it. */
  function tickElapsed() {
    for (const entry of state.tracks.values()) {
      if (!entry.track.audio_status_final) updateProgress(entry);
    }
  }

  async function cancelTrack(audioID, button) {
    button.disabled = true;
    button.textContent = 'Cancelling…';
    try {
      await api('DELETE', `scheduler/${encodeID(audioID)}`);
    } catch (error) {
      // 404: it finished meanwhile; the refresh below shows how.
      if (error.status !== 404) {
        button.disabled = false;
        button.textContent = 'Cancel';
        announce(`Could not cancel: ${error.message}`);
      }
    }
    await refreshTrack(audioID);
  }

  // ---------------------------------------------------------------- a finished song

  function renderFinished(track) {
    const parts = [];
    const audio = h('audio', { class: 'player', controls: true, preload: 'metadata', src: track.url, 'aria-label': `Play ${track.title || 'the song'}` });
    parts.push(audio);

    const facts = [
      track.bpm ? `${track.bpm} bpm` : null, track.key, track.genre,
      track.instrumental ? 'instrumental' : (track.auto_lyrics ? 'lyrics by Tunesmith' : 'your lyrics'),
      track.seed !== undefined ? `seed ${track.seed}` : null,
    ].filter(Boolean);
    parts.push(h('ul', { class: 'facts', 'aria-label': 'About this song' }, facts.map((fact) => h('li', { text: fact }))));

    const influence = influenceSummary(track.image_influence);
    if (influence) parts.push(h('p', { class: 'influence', text: influence }));

    if (track.lyrics || track.lrc_url) {
      const lyrics = h('div', { class: 'lyrics', 'aria-label': 'Lyrics', tabindex: 0, role: 'region' });
      parts.push(lyrics);
      showLyrics(track, lyrics, audio);
    }

    const base = (track.title || 'tunesmith-song').replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'tunesmith-song';
    const downloads = [
      ['MP3', track.url, `${base}.mp3`], ['MIDI', track.midi_url, `${base}.mid`],
      ['Song sheet', track.sheet_url, `${base}.json`], ['LRC', track.lrc_url, `${base}.lrc`],
      ['Stems', track.stems_url, `${base} stems.zip`],
    ].filter(([, url]) => url);
    parts.push(h('div', { class: 'downloads' },
      h('span', { class: 'downloads-label', text: 'Download' }),
      downloads.map(([label, url, name]) => h('a', { class: 'download', href: url, download: name, 'data-kind': label, text: label }))));

    const actionError = h('p', { class: 'action-error', role: 'alert', hidden: true });
    const extendButton = h('button', { type: 'button', class: 'button ghost small', text: 'Extend…' });
    const actions = h('div', { class: 'actions' }, sameSeedButton(track, 'Same prompt, new seed', actionError), extendButton);
    extendButton.addEventListener('click', () => toggleExtend(track, actions, extendButton, actionError));
    parts.push(actions, actionError);
    return parts;
  }

  function influenceSummary(influence) {
    if (!influence || typeof influence !== 'object') return '';
    const said = [];
    if (influence.colour && influence.colour !== 'neutral') said.push(`${influence.colour} colours`);
    if (influence.mode) said.push(`${influence.mode} mode`);
    if (influence.tempo_shift) said.push(`tempo ${influence.tempo_shift > 0 ? '+' : ''}${influence.tempo_shift} bpm`);
    if (influence.genre) said.push(`leaning ${influence.genre}`);
    const instruments = (influence.instruments || []).map((choice) => `${choice.instrument} (${choice.role})`);
    if (instruments.length) said.push(`instruments: ${instruments.join(', ')}`);
    const count = influence.images === 1 ? '1 image' : `${influence.images} images`;
    let text = `From ${count}: ${said.length ? said.join(', ') : 'no change the prompt did not already decide'}.`;
    if (influence.prompt_wins && influence.prompt_wins.length) text += ` The prompt decided: ${influence.prompt_wins.join(', ')}.`;
    return text;
  }

  function sameSeedButton(track, label, errorElement) {
    const button = h('button', { type: 'button', class: 'button ghost small', text: label });
    button.addEventListener('click', async () => {
      const body = { prompt: track.prompt, model: track.model };
      if (track.instrumental) body.instrumental = true;
      if (!track.instrumental && !track.auto_lyrics && track.lyrics) body.lyrics = track.lyrics;
      (track.image_paths || []).forEach((path, index) => { body[`image_path_${index + 1}`] = path; });
      if (track.stems_url) body.stems = true;
      button.disabled = true;
      try {
        const created = await api('POST', 'music/create', { json: body });
        announce('Song queued with a new seed.');
        await refreshTrack(created.audio_id);
        if (errorElement) errorElement.hidden = true;
      } catch (error) {
        if (errorElement) {
          errorElement.textContent = error.message;
          errorElement.hidden = false;
        } else announce(error.message);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  function toggleExtend(track, actions, button, errorElement) {
    const open = actions.nextElementSibling && actions.nextElementSibling.classList.contains('extend-form');
    if (open) {
      actions.nextElementSibling.remove();
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    const promptID = `extend-prompt-${track.asset_id}`;
    const lyricsID = `extend-lyrics-${track.asset_id}`;
    const prompt = h('input', { class: 'input', id: promptID, placeholder: 'e.g. a quieter last chorus, then fade out' });
    const lyrics = h('textarea', { class: 'input mono', id: lyricsID, rows: 3, placeholder: 'Words for the new part (optional)' });
    const submit = h('button', { type: 'submit', class: 'button primary small', text: 'Extend song' });
    const form = h('form', { class: 'extend-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { class: 'label', for: promptID, text: 'How should it go on? (optional)' }), prompt),
      track.instrumental ? null : h('div', { class: 'field' }, h('label', { class: 'label', for: lyricsID, text: 'Lyrics for the continuation (optional)' }), lyrics),
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { audio_id: track.audio_id };
      if (prompt.value.trim()) body.prompt = prompt.value;
      if (!track.instrumental && lyrics.value.trim()) body.lyrics = lyrics.value;
      submit.disabled = true;
      errorElement.hidden = true;
      try {
        const created = await api('POST', 'music/extend', { json: body });
        announce('Extension queued: the whole longer song appears at the top.');
        form.remove();
        button.setAttribute('aria-expanded', 'false');
        await refreshTrack(created.audio_id);
      } catch (error) {
        errorElement.textContent = (error.status === 404 || error.status === 405) && !/^Music /.test(error.message)
          ? 'This server cannot extend songs yet (POST music/extend is not available).'
          : error.message;
        errorElement.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    actions.after(form);
    button.setAttribute('aria-expanded', 'true');
    prompt.focus();
  }

  // ---------------------------------------------------------------- lyrics that follow the song

  /** LRC lines `[mm:ss.xx]text` -> [{ time, text }], sorted; empty text marks a pause. */
  function parseLRC(text) {
    const lines = [];
    for (const raw of text.split(/\r?\n/)) {
      const stamps = [...raw.matchAll(/\[(\d+):(\d+(?:\.\d+)?)\]/g)];
      if (!stamps.length) continue;
      const words = raw.replace(/\[[^\]]*\]/g, '').trim();
      for (const stamp of stamps) lines.push({ time: Number(stamp[1]) * 60 + Number(stamp[2]), text: words });
    }
    return lines.sort((a, b) => a.time - b.time);
  }

  function loadLRC(url) {
    // Signed links change with their expiry; the file behind them does not.
    const key = url.split('?')[0];
    if (!state.lrc.has(key)) {
      state.lrc.set(key, fetch(url, { cache: 'force-cache' })
        .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`))))
        .then(parseLRC)
        .catch((error) => { state.lrc.delete(key); throw error; }));
    }
    return state.lrc.get(key);
  }

  function showLyrics(track, container, audio) {
    const plain = () => {
      container.replaceChildren(...(track.lyrics || '').split('\n').filter((line) => line.trim()).map((line) => {
        const section = /^\s*\[.*\]\s*$/.test(line);
        return h('p', { class: section ? 'section' : null, text: section ? line.trim().slice(1, -1) : line });
      }));
    };
    if (!track.lrc_url) { plain(); return; }
    plain();
    loadLRC(track.lrc_url).then((lines) => {
      const sung = lines.filter((line) => line.text);
      if (!sung.length) return;
      const elements = sung.map((line) => h('p', { 'data-time': line.time.toFixed(2), text: line.text }));
      container.replaceChildren(...elements);
      let current = -1;
      const follow = () => {
        const time = audio.currentTime;
        // The last line that has started, unless a pause mark came after it.
        let index = -1;
        for (let i = 0; i < lines.length && lines[i].time <= time + 0.05; i += 1) {
          index = lines[i].text ? sung.indexOf(lines[i]) : -1;
        }
        if (index === current) return;
        if (current >= 0) {
          elements[current].classList.remove('current');
          elements[current].removeAttribute('aria-current');
        }
        current = index;
        if (current >= 0) {
          const element = elements[current];
          element.classList.add('current');
          element.setAttribute('aria-current', 'true');
          // Scroll the lyrics box only, never the page.
          container.scrollTop = element.offsetTop - container.clientHeight / 2 + element.clientHeight / 2;
        }
      };
      audio.addEventListener('timeupdate', follow);
      audio.addEventListener('seeked', follow);
      follow();
    }).catch(() => { /* the plain lyrics stay */ });
  }

  // ---------------------------------------------------------------- live updates

  /** Reads the server's event stream (`GET /events`) with fetch: EventSource cannot send the bearer token, and a
   *  token in the URL would end up in logs. Each `track` event carries the track's full JSON. */
  async function openStream() {
    const controller = new AbortController();
    state.stream = controller;
    try {
      const response = await fetch(`${API}events`, {
        headers: { Authorization: `Bearer ${state.token}`, Accept: 'text/event-stream' },
        cache: 'no-store', signal: controller.signal,
      });
      if (response.status === 401) {
        signOut('Your token is no longer accepted. Sign in again.');
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      setLive(true);
      state.reconnectDelay = 1000;
      // Catch up on what changed while the stream was down (the stream itself sends the running songs).
      loadTracks(true).catch(() => {});
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handleEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
    }
    if (state.stream !== controller) return;
    state.stream = null;
    setLive(false);
    const delay = Math.min(Math.max(state.reconnectDelay, state.retryMs), MAX_RECONNECT_MS);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, MAX_RECONNECT_MS);
    state.reconnectTimer = setTimeout(() => { if (state.token) openStream(); }, delay);
  }

  function handleEvent(block) {
    let name = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) state.retryMs = Number(value);
    }
    if (name === 'track' && data.length) {
      try { upsert(parseJSON(data.join('\n'))); } catch { /* a broken event is skipped */ }
    }
  }

  function setLive(live) {
    state.live = live;
    const status = $('live-status');
    status.dataset.state = live ? 'live' : 'polling';
    status.textContent = live ? 'Live' : `Reconnecting · checking every ${FALLBACK_POLL_MS / 1000} s`;
    status.title = live ? 'Updates arrive as they happen' : 'The live connection dropped; songs in progress are checked periodically';
  }

  /** Only while the stream is down, and only for songs that are not finished. */
  async function pollFallback() {
    if (state.live || !state.token) return;
    const running = [...state.tracks.values()].filter((entry) => !entry.track.audio_status_final);
    for (const entry of running) await refreshTrack(entry.track.audio_id);
  }

  function startLive() {
    stopLive();
    $('live-status').dataset.state = 'connecting';
    $('live-status').textContent = 'Connecting…';
    openStream();
    state.pollTimer = setInterval(pollFallback, FALLBACK_POLL_MS);
  }

  function stopLive() {
    if (state.stream) state.stream.abort();
    state.stream = null;
    clearInterval(state.pollTimer);
    clearTimeout(state.reconnectTimer);
    state.live = false;
  }

  // ---------------------------------------------------------------- start

  function start() {
    takeTokenFromLink();
    if (!state.token) {
      try { state.token = localStorage.getItem(TOKEN_KEY); } catch { state.token = null; }
    }

    $('signin-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const token = $('token').value.trim();
      if (!token) {
        setFieldError('token', 'Paste your API token.');
        $('token').focus();
        return;
      }
      try {
        await signIn(token);
        $('token').value = '';
        $('prompt').focus();
      } catch (error) {
        setFieldError('token', error.message);
        $('token').focus();
      }
    });
    $('sign-out').addEventListener('click', () => signOut(''));
    $('create-form').addEventListener('submit', submitCreate);
    $('model').addEventListener('change', updateModel);
    $('instrumental').addEventListener('change', updateLyricsField);
    $('prompt').addEventListener('input', updateCounters);
    $('lyrics').addEventListener('input', updateCounters);
    $('load-more').addEventListener('click', () => loadTracks(false).catch((error) => announce(error.message)));
    setUpDropzone();
    setInterval(tickElapsed, 1000);
    // The printed link opened in a tab that already shows the page only changes the fragment.
    window.addEventListener('hashchange', () => { if (takeTokenFromLink()) signInOrAsk(); });
    signInOrAsk();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
