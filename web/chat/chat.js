// The /chat page: picks the language, gets a Direct Line token from the bot's server (or
// resumes the conversation kept in this tab), and renders Bot Framework Web Chat.
// Plain browser script, no build step; loaded just before /chat/webchat.js (both `defer`).
(function () {
  'use strict';

  var ACCENT = '#0B5394';
  var STORAGE_KEY = 'digikysely.webchat.v1';
  var TOKEN_URL = '/api/directline/token';
  // DirectLineJS connection states (botframework-directlinejs ConnectionStatus).
  var STATUS = { Online: 2, ExpiredToken: 3, FailedToConnect: 4, Ended: 5 };
  // The server's per-response nonce on this script's tag (readable only as the `nonce`
  // property): the page's CSP allows <style> elements that carry it.
  var NONCE = (document.currentScript && document.currentScript.nonce) || undefined;

  /** `?lang=fi|en` wins; otherwise the browser's language (`fi*` → fi, anything else → en). */
  function pickLang() {
    var asked = new URLSearchParams(window.location.search).get('lang');
    if (asked === 'fi' || asked === 'en') return asked;
    return /^fi\b/i.test(navigator.language || '') ? 'fi' : 'en';
  }

  function loadStrings(lang) {
    return fetch('/chat/locales/' + lang + '.json', { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('locale ' + lang + ': HTTP ' + res.status);
      return res.json();
    });
  }

  function applyStrings(lang, strings) {
    document.documentElement.lang = lang;
    document.title = strings.pageTitle;
    document.querySelectorAll('[data-i18n]').forEach(function (el) {
      var text = strings[el.getAttribute('data-i18n')];
      if (typeof text === 'string') el.textContent = text;
    });
    var privacy = document.getElementById('dk-privacy');
    if (strings.privacyUrl) {
      privacy.href = strings.privacyUrl;
      privacy.hidden = false;
    }
    var switcher = document.getElementById('dk-lang');
    var params = new URLSearchParams(window.location.search);
    params.set('lang', strings.switchLanguageLang);
    switcher.href = '?' + params.toString();
    switcher.lang = strings.switchLanguageLang;
    switcher.hreflang = strings.switchLanguageLang;
  }

  function setStatus(text, isError) {
    var el = document.getElementById('dk-status');
    el.textContent = text || '';
    el.classList.toggle('dk-error', Boolean(isError));
  }

  // The conversation of this tab survives reloads through sessionStorage (never localStorage:
  // the token must not outlive the tab). The user id is not here: it lives in an HttpOnly cookie.
  function loadSaved() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
      if (saved && typeof saved.token === 'string' && typeof saved.conversationId === 'string' && typeof saved.domain === 'string') {
        return saved;
      }
    } catch (err) {
      // Storage blocked or corrupt: start a new conversation.
    }
    return null;
  }

  function save(session) {
    try {
      window.sessionStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ token: session.token, conversationId: session.conversationId, domain: session.domain }),
      );
    } catch (err) {
      // Without storage a reload starts a new conversation; the bot still resumes by user id.
    }
  }

  function forget() {
    try {
      window.sessionStorage.removeItem(STORAGE_KEY);
    } catch (err) {
      // Nothing to forget.
    }
  }

  /** A fresh token for the kept conversation, or null when it cannot be resumed. */
  function refreshToken(saved) {
    return fetch(saved.domain + '/tokens/refresh', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + saved.token },
    })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (body) {
        return body && typeof body.token === 'string' ? body.token : null;
      })
      .catch(function () {
        return null;
      });
  }

  function newSession() {
    return fetch(TOKEN_URL, { method: 'POST', credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('token: HTTP ' + res.status);
      return res.json();
    });
  }

  /** Resumes this tab's conversation when its token can be refreshed; otherwise starts a new one. */
  function connect() {
    var saved = loadSaved();
    var resumed = saved
      ? refreshToken(saved).then(function (token) {
          if (!token) return null;
          return { token: token, conversationId: saved.conversationId, domain: saved.domain, resumed: true };
        })
      : Promise.resolve(null);
    return resumed.then(function (session) {
      if (session) return session;
      forget();
      return newSession().then(function (body) {
        return { token: body.token, conversationId: body.conversationId, domain: body.domain, resumed: false };
      });
    });
  }

  function styleOptions() {
    return {
      accent: ACCENT,
      primaryFont: "'Segoe UI', system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, sans-serif",
      backgroundColor: '#FFFFFF',
      subtle: '#4A5B6D',
      timestampColor: '#4A5B6D',
      botAvatarImage: '/chat/avatar.svg',
      botAvatarInitials: 'DK',
      avatarSize: 36,
      bubbleBackground: '#EEF3F9',
      bubbleBorderColor: '#D5DEEA',
      bubbleBorderWidth: 1,
      bubbleBorderRadius: 12,
      bubbleTextColor: '#1B2A3A',
      bubbleFromUserBackground: ACCENT,
      bubbleFromUserBorderColor: ACCENT,
      bubbleFromUserBorderRadius: 12,
      bubbleFromUserTextColor: '#FFFFFF',
      bubbleMaxWidth: 560,
      hideUploadButton: true,
      sendBoxButtonColor: ACCENT,
      sendBoxButtonColorOnHover: '#083D6E',
      sendBoxBorderTop: '1px solid #D5DEEA',
      sendBoxHeight: 52,
      suggestedActionLayout: 'flow',
      suggestedActionBackgroundColor: '#FFFFFF',
      suggestedActionBorderColor: ACCENT,
      suggestedActionBorderRadius: 18,
      suggestedActionBorderWidth: 2,
      suggestedActionTextColor: ACCENT,
      suggestedActionHeight: 40,
      cardEmphasisBackgroundColor: '#EEF3F9',
      rootHeight: '100%',
      rootWidth: '100%',
    };
  }

  /** Resolves once /chat/webchat.js has run (deferred scripts run before DOMContentLoaded). */
  function webChatLoaded() {
    return new Promise(function (resolve, reject) {
      var check = function () {
        if (window.WebChat) resolve(window.WebChat);
        else reject(new Error('/chat/webchat.js did not load'));
      };
      if (window.WebChat || document.readyState === 'complete') check();
      else document.addEventListener('DOMContentLoaded', check);
    });
  }

  function start() {
    var lang = pickLang();
    var webChat = webChatLoaded();
    webChat.catch(function () {
      // Reported below, once the strings to say it with are known.
    });
    if (new URLSearchParams(window.location.search).get('embed') === '1') document.body.classList.add('dk-embed');
    var strings = null;
    loadStrings(lang)
      .then(function (loaded) {
        strings = loaded;
        applyStrings(lang, strings);
        setStatus(strings.connecting, false);
        return Promise.all([connect(), webChat]);
      })
      .then(function (results) {
        var session = results[0];
        var WebChat = results[1];
        save(session);
        var directLine = WebChat.createDirectLine({
          token: session.token,
          domain: session.domain,
          // Polling works behind every proxy and is what the local Direct Line speaks.
          webSocket: false,
          // Only a resumed conversation is named: a new one must be started (POST) so the bot greets.
          conversationId: session.resumed ? session.conversationId : undefined,
          conversationStartProperties: { locale: lang === 'fi' ? 'fi-FI' : 'en-US' },
        });
        // DirectLineJS renews its token every 15 minutes; keep the newest for the next reload.
        var failed = false;
        var keepToken = function () {
          if (!failed && typeof directLine.token === 'string') {
            save({ token: directLine.token, conversationId: session.conversationId, domain: session.domain });
          }
        };
        window.addEventListener('pagehide', keepToken);
        document.addEventListener('visibilitychange', function () {
          if (document.visibilityState === 'hidden') keepToken();
        });
        window.setInterval(keepToken, 60 * 1000);
        directLine.connectionStatus$.subscribe(function (status) {
          if (status === STATUS.Online) setStatus('', false);
          if (status === STATUS.FailedToConnect || status === STATUS.Ended || status === STATUS.ExpiredToken) {
            // The next load starts a new conversation; the same user id resumes the interview.
            failed = true;
            forget();
            setStatus(status === STATUS.FailedToConnect ? strings.errorConnect : strings.errorEnded, true);
          }
        });
        WebChat.renderWebChat(
          {
            directLine: directLine,
            locale: lang === 'fi' ? 'fi-FI' : 'en-US',
            // The bot addresses respondents formally ("Voitte…"): the input says so too.
            overrideLocalizedStrings: strings.inputPlaceholder ? { TEXT_INPUT_PLACEHOLDER: strings.inputPlaceholder } : undefined,
            nonce: NONCE,
            styleOptions: styleOptions(),
          },
          document.getElementById('webchat'),
        );
      })
      .catch(function (err) {
        if (window.console) window.console.error('[chat]', err);
        setStatus(
          strings ? strings.errorConnect : 'Keskusteluun ei saatu yhteyttä. / Could not connect to the conversation.',
          true,
        );
      });
  }

  start();
})();
