// The browser side of Kumo's VNC console: reads the single-use token from the URL's fragment
// (never sent in a page request), drops it from the address bar, and connects noVNC to kumod's
// WebSocket proxy. #status says connecting, connected, disconnected or refused.
/* global document, location, history, window, URLSearchParams -- a browser module */
import RFB from './novnc/core/rfb.js';

const status = document.getElementById('status');
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
history.replaceState(null, '', location.pathname);
const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const url = `${scheme}://${location.host}/console/ws?token=${encodeURIComponent(token)}`;

let connected = false;
const rfb = new RFB(document.getElementById('screen'), url, { wsProtocols: ['binary'] });
rfb.scaleViewport = true;
rfb.addEventListener('connect', () => {
  connected = true;
  status.textContent = 'connected';
  rfb.focus();
});
rfb.addEventListener('disconnect', () => {
  // A refused upgrade never connects: the token was spent, forged or expired.
  status.textContent = connected ? 'disconnected' : 'refused';
});
window.kumoConsole = rfb;
