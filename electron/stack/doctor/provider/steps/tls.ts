import { isIP } from 'node:net';
import { connect as tlsConnect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { fail, pass, skip, warn } from '../../doctor-step';
import type { ProviderDoctorContext, ProviderStepDefinition } from '../provider-doctor-context';
import { extraCaCertsNote } from '../tls-trust';

const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;
/** OpenSSL's ways of saying "the other side did not answer in TLS" (an HTTP server on a TLS port). */
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;
const UNTRUSTED = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/**
 * Step 6: the TLS handshake with the provider (over the proxy's tunnel when there is one), checked the way
 * the client checks it — Node's trusted CAs plus NODE_EXTRA_CA_CERTS — with the certificate's names,
 * issuer chain and expiry as evidence. Verification is done after the handshake so the evidence can show
 * the certificate that failed.
 */
export const tlsStep: ProviderStepDefinition = {
  id: 'tls',
  title: 'TLS',
  deadlineMs: 10_000,
  timeoutRemedy: (context) => `The TLS handshake with ${context.modelsUrl?.host} hangs: something on the path (a proxy, a firewall doing inspection) holds it. Check the proxy settings.`,
  async run(context, signal) {
    const url = context.modelsUrl;
    const socket = context.socket;
    if (!url || !socket) return skip('no connection');
    if (url.protocol !== 'https:') {
      socket.destroy();
      context.socket = undefined;
      return skip('http:// — no TLS');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const handshake = await handshakeOn(context, host, signal);
    if (!handshake.ok) return notTls(context, handshake.code, handshake.message);
    const tls = handshake.socket;
    try {
      const certificate = tls.getPeerCertificate(true);
      const evidence = [`${tls.getProtocol() ?? 'TLS'} with ${host}`, ...describeChain(certificate)];
      const error = tls.authorizationError ? String(tls.authorizationError) : null;
      if (error) return untrusted(context, error, certificate, evidence);
      const daysLeft = Math.floor((Date.parse(certificate.valid_to) - Date.now()) / DAY_MS);
      const note = extraCaCertsNote(context.input.env);
      if (note) evidence.push(note);
      if (daysLeft < EXPIRY_WARNING_DAYS) {
        return warn(`verified, but the certificate expires in ${daysLeft} day(s) (${certificate.valid_to})`, `Renew the certificate of ${host} before ${certificate.valid_to}; calls fail from then on.`, 'CERT_EXPIRES_SOON', evidence);
      }
      return pass(`verified: ${subjectName(certificate)}, issued by ${issuerName(certificate)}, valid for ${daysLeft} more days`, evidence);
    } finally {
      tls.destroy();
      context.socket = undefined;
    }
  },
};

type Handshake = { ok: true; socket: TLSSocket } | { ok: false; code: string; message: string };

function handshakeOn(context: ProviderDoctorContext, host: string, signal: AbortSignal): Promise<Handshake> {
  const socket = context.socket;
  return new Promise((resolve) => {
    const tls = tlsConnect({ socket, servername: isIP(host) ? undefined : host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const onAbort = (): void => {
      tls.destroy();
      resolve({ ok: false, code: 'ABORTED', message: 'cancelled' });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    tls.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve({ ok: true, socket: tls });
    });
    tls.once('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      tls.destroy();
      resolve({ ok: false, code: error.code ?? 'TLS_ERROR', message: error.message });
    });
  });
}

function notTls(context: ProviderDoctorContext, code: string, message: string) {
  const url = context.modelsUrl as URL;
  const via = context.route?.proxyUrl ? ` (through the proxy ${context.route.display})` : '';
  if (NOT_TLS.test(message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return fail(
      `${url.host} does not speak TLS${via}: the handshake got plain data back (${code})`,
      `The server on ${url.host} answers plain HTTP. Use http://${url.host}${url.pathname.replace(/\/models$/, '')} if it is on this machine or a network you trust, or the port where it serves https://.`,
      code,
      [message],
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return fail(`${url.host} closed the connection during the TLS handshake (${code})`, `Something on the path cut the handshake: a proxy or firewall that blocks this host, or a server that wants another TLS version. Try the URL in a browser from this machine.`, code, [message]);
  }
  return fail(`the TLS handshake with ${url.host} failed (${code})`, 'Check the URL (https:// and the right port) and any proxy in between.', code, [message]);
}

function untrusted(context: ProviderDoctorContext, error: string, certificate: DetailedPeerCertificate, evidence: string[]) {
  const url = context.modelsUrl as URL;
  const env = context.input.env;
  const note = extraCaCertsNote(env);
  if (note) evidence.push(note);
  const proxied = context.route?.proxyUrl ? ` A proxy that inspects TLS (${context.route.display}) shows certificates of its own CA.` : '';
  if (UNTRUSTED.has(error)) {
    return fail(
      `the certificate chain of ${url.host} is not trusted (${error}): issued by ${issuerName(certificate)}`,
      `Node does not trust ${issuerName(certificate)}.${proxied} Save that CA's certificate (PEM) and start Bulkhead with NODE_EXTRA_CA_CERTS=/path/to/ca.pem — Node reads it only at start, so restart after setting it. Do not turn certificate checks off: the API key would go to whoever answers.`,
      error,
      evidence,
    );
  }
  if (error === 'ERR_TLS_CERT_ALTNAME_INVALID' || /altname|hostname/i.test(error)) {
    return fail(
      `the certificate is for ${subjectName(certificate)}, not ${url.hostname}`,
      `Use a URL with one of the names the certificate lists (see the evidence), or have the server's certificate include ${url.hostname}.${proxied}`,
      'ERR_TLS_CERT_ALTNAME_INVALID',
      evidence,
    );
  }
  if (error === 'CERT_HAS_EXPIRED') return fail(`the certificate of ${url.host} expired on ${certificate.valid_to}`, `The server must renew its certificate. If the date looks wrong, check this machine's clock.${proxied}`, error, evidence);
  if (error === 'CERT_NOT_YET_VALID') return fail(`the certificate of ${url.host} is valid only from ${certificate.valid_from}`, "Check this machine's clock and time zone.", error, evidence);
  return fail(`the certificate of ${url.host} was refused (${error})`, `Node refuses this certificate.${proxied} See the evidence for its issuer and dates.`, error, evidence);
}

function subjectName(certificate: DetailedPeerCertificate): string {
  const names = (certificate.subjectaltname ?? '').split(',').map((s) => s.trim().replace(/^(DNS|IP Address):/, '')).filter(Boolean);
  return names.length > 0 ? names.slice(0, 4).join(', ') : String(certificate.subject?.CN ?? '(no name)');
}

function issuerName(certificate: DetailedPeerCertificate): string {
  return String(certificate.issuer?.CN ?? certificate.issuer?.O ?? '(unknown issuer)');
}

/** Leaf to root: subject, issuer and dates of each certificate the server sent. */
function describeChain(leaf: DetailedPeerCertificate): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current && !seen.has(current.fingerprint256) && lines.length < 6) {
    seen.add(current.fingerprint256);
    const self: boolean = current.issuerCertificate === current || current.issuerCertificate?.fingerprint256 === current.fingerprint256;
    lines.push(`${lines.length === 0 ? 'certificate' : 'issuer'}: ${subjectName(current)} — issued by ${issuerName(current)}${self ? ' (self-signed)' : ''}, valid ${current.valid_from} → ${current.valid_to}`);
    current = self ? undefined : current.issuerCertificate;
  }
  return lines;
}
