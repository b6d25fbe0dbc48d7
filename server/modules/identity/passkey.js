// Kluis sign-in: answer the second step with a passkey. Served as a file (the CSP forbids inline
// script). It fetches the options for this interaction, asks the browser's authenticator, and
// posts the answer; the server replies with where to continue.
(() => {
  const button = document.getElementById('passkey');
  if (!button || !window.PublicKeyCredential) return;
  button.hidden = false;
  const base = button.getAttribute('data-base');
  const b64 = (buf) =>
    btoa(String.fromCharCode(...new Uint8Array(buf)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  button.addEventListener('click', async () => {
    const options = await (await fetch(`${base}/passkey-options`, { credentials: 'same-origin' })).json();
    const credential = await navigator.credentials.get({
      publicKey: {
        ...options,
        challenge: bytes(options.challenge),
        allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: bytes(c.id) })),
      },
    });
    const r = credential.response;
    const answer = {
      id: credential.id,
      rawId: b64(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: b64(r.clientDataJSON),
        authenticatorData: b64(r.authenticatorData),
        signature: b64(r.signature),
        userHandle: r.userHandle ? b64(r.userHandle) : undefined,
      },
    };
    const res = await fetch(`${base}/passkey`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(answer),
    });
    const body = await res.json();
    if (body.redirectTo) window.location.assign(body.redirectTo);
  });
})();
