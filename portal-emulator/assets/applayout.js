/*
 * The parent side of the Bitrix24 frame protocol, written for the portal
 * emulator from the fact sheet (shared/reference/bitrix24-protocol.md,
 * cited as §N). It loads the app into the iframe the way app.layout does
 * (§4.1), answers the app's postMessage commands (§4.2) and logs every
 * message it receives, accepted or not, with the reason.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('portal-config').textContent);
  var frame = document.getElementById('app-frame');
  var layout = document.getElementById('app-frame-layout');
  var form = document.getElementById('app-form');
  var titleEl = document.getElementById('pagetitle');

  var appSid = config.appSid;
  var appOrigin = config.appOrigin;
  var isAdmin = config.initData.IS_ADMIN === true;
  // The page's working copy of the init data: refreshAuth and the option
  // setters update it, so a later getInitData in this render sees the change.
  var params = config.initData;
  var firstRun = config.firstRun === true;
  var secrets = [params.AUTH_ID, params.REFRESH_ID];

  // ---------------------------------------------------------------- the log

  var MAX_DATA = 400;
  var log = [];
  window.__frameLog = log;
  var seq = 0;
  var rows = document.getElementById('frame-log-rows');
  var counter = document.getElementById('frame-count');

  function describe(data) {
    if (typeof data === 'string') { return data; }
    try { return JSON.stringify(data); } catch (e) { return String(data); }
  }

  // Tokens never reach the log: the ones this page knows, anything that
  // looks like one, and the values of token-named keys.
  function redact(text) {
    var out = String(text);
    secrets.forEach(function (secret) {
      if (secret) { out = out.split(secret).join('[redacted]'); }
    });
    out = out.replace(/\b[0-9a-f]{64}\b/gi, '[redacted]');
    out = out.replace(/("(?:AUTH_ID|REFRESH_ID|APPLICATION_TOKEN|access_token|refresh_token|auth)"\s*:\s*")[^"]*"/g, '$1[redacted]"');
    return out;
  }

  function clip(text) {
    return text.length > MAX_DATA ? text.slice(0, MAX_DATA) + '\u2026 (' + text.length + ' chars)' : text;
  }

  function send(entry) {
    var body;
    try { body = JSON.stringify(entry); } catch (e) { return; }
    try {
      fetch(config.frameLogUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: body,
        // The entry of a reloadWindow must survive the reload.
        keepalive: true
      }).catch(function () {});
    } catch (e) { /* the log is best effort */ }
  }

  function cell(tr, text) {
    var td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
  }

  function render(entry) {
    if (!rows) { return; }
    var tr = entry.__row;
    if (!tr) {
      tr = document.createElement('tr');
      Object.defineProperty(entry, '__row', { value: tr, enumerable: false });
      rows.appendChild(tr);
    }
    tr.textContent = '';
    tr.className = entry.accepted ? '' : 'devpanel__row--refused';
    cell(tr, String(entry.id));
    cell(tr, entry.at.slice(11, 23));
    cell(tr, entry.origin);
    cell(tr, entry.command || '');
    cell(tr, entry.accepted ? 'yes' : 'no');
    cell(tr, entry.reason);
    cell(tr, entry.replied ? 'yes' : 'no');
    cell(tr, entry.data);
    if (counter) { counter.textContent = String(log.length); }
  }

  function publish(entry) {
    render(entry);
    send(entry);
  }

  // --------------------------------------------------------- the back end

  // Encodes a value the way a form POST carries it, with PHP bracket notation
  // for structures, so the portal stores what a real one would (strings).
  function formPairs(name, value, out) {
    if (value !== null && typeof value === 'object') {
      var keys = Object.keys(value);
      if (keys.length === 0) { out.push([name, '']); }
      keys.forEach(function (k) { formPairs(name + '[' + k + ']', value[k], out); });
    } else {
      out.push([name, value === null || value === undefined ? '' : String(value)]);
    }
    return out;
  }

  function lazyload(action, fields) {
    var pairs = [['action', action], ['sessid', config.sessid]];
    Object.keys(fields || {}).forEach(function (k) { formPairs(k, fields[k], pairs); });
    var body = pairs.map(function (p) {
      return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]);
    }).join('&');
    return fetch(config.lazyloadUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body,
      credentials: 'same-origin'
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) { throw new Error(json && json.error_description || ('HTTP ' + response.status)); }
        return json;
      });
    });
  }

  // An options map as PHP hands it over may be `[]`; make it an object
  // before adding named keys (a JS array would serialise them away).
  function asObject(value) {
    if (value && typeof value === 'object' && !Array.isArray(value)) { return value; }
    var out = {};
    if (Array.isArray(value)) { value.forEach(function (v, i) { out[i] = v; }); }
    return out;
  }

  // ------------------------------------------------------------ the slider

  var slider = document.getElementById('side-slider');
  var sliderFrame = document.getElementById('side-slider-frame');
  var sliderOnClose = null;

  // The paths BX24.openPath may open (documented with the method, S26, and
  // quoted in b24jssdk's openPath): anything else is PATH_NOT_AVAILABLE.
  // The check is on the raw string, so "/crm/type/0/details/0/../../x/"
  // passes and the browser resolves the dot segments when loading (§1.7).
  var OPEN_PATH_ALLOWED = /^\/(crm\/(deal|lead|contact|company|type)|marketplace|company\/personal\/user\/[0-9]+|workgroups\/group\/[0-9]+)\//;

  function sliderUrl(path) {
    if (/[?&]IFRAME=Y(&|$)/.test(path)) { return path; }
    var hash = '';
    var i = path.indexOf('#');
    if (i >= 0) { hash = path.slice(i); path = path.slice(0, i); }
    return path + (path.indexOf('?') >= 0 ? '&' : '?') + 'IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER' + hash;
  }

  function closeSlider() {
    if (!slider || slider.hidden) { return; }
    slider.hidden = true;
    sliderFrame.src = 'about:blank';
    var done = sliderOnClose;
    sliderOnClose = null;
    if (done) { done(); }
  }

  function openSlider(path, onClose) {
    closeSlider();
    sliderOnClose = onClose;
    sliderFrame.src = sliderUrl(path);
    slider.hidden = false;
  }

  if (slider) {
    slider.addEventListener('click', function (event) {
      if (event.target && event.target.hasAttribute && event.target.hasAttribute('data-slider-close')) {
        closeSlider();
      }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { closeSlider(); }
    });
  }

  // ------------------------------------------------------------ commands

  // Each handler gets (args, reply, deny) and returns nothing when it is
  // done, or a promise when it answers later. reply() sends nothing without
  // a callback id (§4.2); deny() refuses silently (no reply, logged).
  var commands = {
    getInitData: function (args, reply) {
      reply({
        LANG: params.LANG,
        DOMAIN: location.host,
        PROTOCOL: params.PROTOCOL,
        PATH: params.PATH,
        AUTH_ID: params.AUTH_ID,
        // §4.2: the lifetime in seconds, as a string. It is not a remaining
        // time: an app that re-inits late computes a too-late expiry.
        AUTH_EXPIRES: String(params.AUTH_EXPIRES),
        REFRESH_ID: params.REFRESH_ID,
        MEMBER_ID: params.MEMBER_ID,
        FIRST_RUN: firstRun,
        IS_ADMIN: params.IS_ADMIN,
        INSTALL: params.INSTALL,
        USER_OPTIONS: params.USER_OPTIONS,
        APP_OPTIONS: params.APP_OPTIONS,
        PLACEMENT: params.PLACEMENT,
        PLACEMENT_OPTIONS: params.PLACEMENT_OPTIONS
      });
      // §4.2: after answering, the parent clears its first-run flag.
      firstRun = false;
    },

    refreshAuth: function (args, reply) {
      return lazyload('access_refresh', {}).then(function (result) {
        if (!result || !result.access_token) { throw new Error('no token'); }
        params.AUTH_ID = result.access_token;
        params.REFRESH_ID = result.refresh_token;
        params.AUTH_EXPIRES = result.expires_in;
        secrets.push(result.access_token, result.refresh_token);
        reply({
          AUTH_ID: result.access_token,
          // DERIVED: taken from the OAuth answer's expires_in, a number here.
          AUTH_EXPIRES: result.expires_in,
          REFRESH_ID: result.refresh_token
        });
      }).catch(function () {
        // §4.2: what the real parent does when no token comes back.
        window.alert('Unable to get new token! Reload page, please!');
      });
    },

    resizeWindow: function (args, reply) {
      // §4.2: width '100%' or px (parseInt, NaN -> 100), height parseInt.
      var width = args.width === '100%' ? '100%' : ((parseInt(args.width, 10) || 100) + 'px');
      var height = parseInt(args.height, 10);
      layout.style.width = width;
      if (height) { layout.style.height = height + 'px'; }
      var rect = layout.getBoundingClientRect();
      reply({ width: rect.width, height: rect.height });
    },

    setTitle: function (args, reply) {
      var title = String(args.title === undefined ? '' : args.title);
      titleEl.textContent = title;
      document.title = title;
      reply(args);
    },

    setScroll: function (args, reply) {
      if (args && args.scroll !== undefined && Number(args.scroll) >= 0) {
        window.scrollTo(window.scrollX, parseInt(args.scroll, 10));
      }
      reply(args);
    },

    reloadWindow: function () {
      // No reply: the page (and the frame) go away (§4.2).
      setTimeout(function () { window.location.reload(); }, 0);
    },

    setUserOption: function (args, reply) {
      params.USER_OPTIONS = asObject(params.USER_OPTIONS);
      params.USER_OPTIONS[args.name] = args.value;
      return lazyload('set_user_option', { name: args.name, value: args.value }).then(function () {
        reply(args);
      });
    },

    setAppOption: function (args, reply, deny) {
      // §4.2: admins only, silently ignored otherwise.
      if (!isAdmin) { deny('denied: not admin'); return; }
      return lazyload('set_option', { name: args.name, value: args.value }).then(function (all) {
        params.APP_OPTIONS = all;
        reply(all);
      });
    },

    setInstall: function (args, reply) {
      return lazyload('set_install', { install: args.install ? 'Y' : '' }).then(function () {
        reply(args);
      });
    },

    setInstallFinish: function (args, reply, deny) {
      if (!isAdmin) { deny('denied: not admin'); return; }
      var value = args.value === undefined ? true : !!args.value;
      return lazyload('set_installed', { v: value ? 'Y' : 'N' }).then(function () {
        // §4.2, §7.1: the portal page is reloaded with install_finished.
        var url = new URL(window.location.href);
        url.searchParams.set('install_finished', value ? 'Y' : 'N');
        setTimeout(function () { window.location.href = url.toString(); }, 0);
      });
    },

    openPath: function (args, reply) {
      var path = args && typeof args.path === 'string' ? args.path : '';
      if (!OPEN_PATH_ALLOWED.test(path)) {
        reply({ result: 'error', errorCode: 'PATH_NOT_AVAILABLE' });
        return;
      }
      return new Promise(function (resolve) {
        openSlider(path, function () {
          reply({ result: 'close' });
          resolve();
        });
      });
    },

    getInterface: function (args, reply) {
      reply({ command: Object.keys(commands), event: [] });
    }
  };

  // ------------------------------------------------------------ dispatch

  // How long an answer may take before its log entry is published as
  // pending (openPath answers only when the slider closes).
  var PENDING_AFTER_MS = 1000;

  function finish(entry, handled) {
    if (!handled || typeof handled.then !== 'function') {
      publish(entry);
      return;
    }
    var published = false;
    var timer = setTimeout(function () {
      published = true;
      entry.pending = true;
      publish(entry);
    }, PENDING_AFTER_MS);
    handled.then(function () {}, function () {}).then(function () {
      clearTimeout(timer);
      delete entry.pending;
      if (published) { entry.update = true; }
      publish(entry);
    });
  }

  window.addEventListener('message', function (event) {
    var entry = {
      id: ++seq,
      at: new Date().toISOString(),
      origin: event.origin,
      data: clip(redact(describe(event.data))),
      command: null,
      accepted: false,
      reason: '',
      replied: false
    };
    log.push(entry);

    // §4.2: the parent ignores the message unless the origin is the app's,
    // the data is a string and the last segment is this render's APP_SID.
    if (event.origin !== appOrigin) { entry.reason = 'wrong origin'; publish(entry); return; }
    if (typeof event.data !== 'string') { entry.reason = 'not a string'; publish(entry); return; }

    // §4.2: [r[0], r.slice(1, len-2).join(':'), r[len-2], r[len-1]]: the
    // command, the SID and the callback come from the ends, so the JSON may
    // contain ':'. b24jssdk drops empty segments ("cmd:cb:sid"); this parse
    // reads that as empty params, as the real parent does.
    var r = event.data.split(':');
    var len = r.length;
    var command = r[0];
    var rawParams = r.slice(1, len - 2).join(':');
    var callbackId = r[len - 2];
    var sid = r[len - 1];
    entry.command = command;
    if (sid !== appSid) { entry.reason = 'wrong APP_SID'; publish(entry); return; }
    if (!Object.prototype.hasOwnProperty.call(commands, command)) {
      entry.reason = 'unknown command';
      publish(entry);
      return;
    }
    var args = {};
    if (rawParams) {
      try { args = JSON.parse(rawParams); } catch (e) {
        entry.reason = 'params are not JSON';
        publish(entry);
        return;
      }
    }
    if (args === null || typeof args !== 'object') { args = {}; }

    entry.accepted = true;
    var reply = function (result) {
      if (!callbackId) { return; }
      var message = callbackId + ':' + JSON.stringify(result);
      frame.contentWindow.postMessage(message, appOrigin);
      entry.replied = true;
      entry.reply = clip(redact(message));
      render(entry);
    };
    var deny = function (reason) {
      entry.accepted = false;
      entry.reason = reason;
    };
    var handled;
    try {
      handled = commands[command](args, reply, deny);
    } catch (e) {
      entry.reason = 'handler failed: ' + (e && e.message);
    }
    finish(entry, handled);
  });

  // ------------------------------------------------------------ load the app

  // §4.1: static (ZIP) apps get a GET with the query string only; all others
  // get the hidden form POSTed into the frame.
  if (config.staticApp) {
    frame.src = form.action;
  } else {
    form.submit();
  }
})();
