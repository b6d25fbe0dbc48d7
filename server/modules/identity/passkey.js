// Kluis sign-in with a passkey. Served as a file (the CSP forbids inline script). On the second
// step (#passkey) it answers instead of a code; on the sign-in page (#passkey-login) it signs in
// without a password, with any passkey of this site that the authenticator can offer. Each button
// fetches options for this interaction, asks the browser's authenticator, and posts the answer;
// the server replies with where to continue.
(() => {
  if (!window.PublicKeyCredential) return;
  const b64 = (buf) =>
    btoa(String.fromCharCode(...new Uint8Array(buf)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const wire = (id, optionsPath, answerPath) => {
    const button = document.getElementById(id);
    if (!button) return;
    button.hidden = false;
    const base = button.getAttribute('data-base');
    button.addEventListener('click', async () => {
      const options = await (await fetch(`${base}/${optionsPath}`, { credentials: 'same-origin' })).json();
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
      const res = await fetch(`${base}/${answerPath}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(answer),
      });
      const body = await res.json();
      if (body.redirectTo) window.location.assign(body.redirectTo);
    });
  };
  wire('passkey', 'passkey-options', 'passkey');
  wire('passkey-login', 'passkey-login-options', 'passkey-login');
})();
