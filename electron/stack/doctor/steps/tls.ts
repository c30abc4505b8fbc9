import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { classifyHost, isLocalHostKind } from '../../db/config/host-kind';
import { probeSslSupport } from '../../db/tls/ssl-request-probe';
import { readPem, sslOptionsFor } from '../../db/tls/tls-policy';
import { isBulkheadError } from '../../errors';
import { fail, pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';

/**
 * Step 6: the SSLRequest a driver sends first — does the server speak TLS at all ('S' or 'N') — then,
 * when TLS will be used, the handshake: who signed the certificate, which names it covers, whether it
 * verifies against the CA we would use.
 */
export const tlsStep: DoctorStepDefinition = {
  id: 'tls',
  title: 'TLS (SSLRequest and certificate)',
  deadlineMs: 6000,
  async run(context, signal) {
    const settings = context.settings;
    const decision = context.tls;
    if (!settings || !decision) return skip('no target');
    if (!context.reachable || context.reachable.length === 0) {
      context.ssl = false;
      return skip(classifyHost(settings.host) === 'socket' ? 'Unix socket: no TLS' : 'no reachable address');
    }
    const address = context.reachable[0]?.address ?? settings.host;
    let probe;
    try {
      probe = await probeSslSupport(address, settings.port, { signal, timeoutMs: this.deadlineMs - 500 });
    } catch (error) {
      const code = isBulkheadError(error) ? error.code : ((error as NodeJS.ErrnoException).code ?? 'UNKNOWN');
      const message = error instanceof Error ? error.message : String(error);
      if (code === 'CONNECTION_CLOSED') {
        return fail(message, `Something accepts connections on port ${settings.port} but no PostgreSQL answers behind it: typically docker-proxy publishing a container that is still starting, crashed, or restarting. Check \`docker compose ps\` and \`docker compose logs db\`, and give the service a pg_isready healthcheck (resources/docker/compose.yml has one).`, code);
      }
      if (code === 'NOT_POSTGRES') return fail(message, `Port ${settings.port} belongs to another program. PostgreSQL's port is usually 5432; check which one your server or container publishes.`, code);
      return fail(`the SSLRequest probe failed: ${message}`, 'The server closed or reset the connection: check its log.', code);
    }
    const evidence = [`SSLRequest answered '${probe.answer}' in ${probe.ms.toFixed(1)} ms (${probe.answer === 'S' ? 'TLS available' : probe.answer === 'N' ? 'no TLS on this server' : 'error reply'})`, `policy: ${decision.reason}`];
    context.serverOffersTls = probe.answer === 'S';
    try {
      context.ssl = sslOptionsFor(decision, settings, context.serverOffersTls);
    } catch (error) {
      probe.socket.destroy();
      return fail(error instanceof Error ? error.message : String(error), isBulkheadError(error) ? (error.remedy ?? '') : 'Check the certificate paths.', isBulkheadError(error) ? error.code : 'TLS_FILE_UNREADABLE', evidence);
    }
    if (probe.answer !== 'S') {
      if (decision.use === 'always') {
        const local = isLocalHostKind(classifyHost(settings.host));
        return fail(
          'The server does not support SSL connections, but this connection requires TLS',
          local
            ? `This is a local/container PostgreSQL without TLS. Remove sslmode=${decision.mode} from the URL (or set sslmode=disable): traffic to ${settings.host} does not leave this machine or the compose network.`
            : `Either enable TLS on the server (ssl = on with a certificate), or — only on a network you trust — add sslmode=disable.`,
          'TLS_NOT_SUPPORTED',
          evidence,
        );
      }
      return pass(decision.use === 'if-offered' ? `no TLS offered: connecting without it (sslmode=${decision.mode})` : 'no TLS, as intended for this host', evidence);
    }
    if (decision.use === 'never') {
      probe.socket.destroy();
      return pass(`the server offers TLS; this connection goes without it (${decision.mode})`, evidence);
    }
    const handshake = await inspectCertificate(probe.socket, settings.host, settings.sslrootcert, signal);
    evidence.push(...handshake.evidence);
    if (handshake.error) return fail(`TLS handshake failed: ${handshake.error}`, 'The server could not complete a TLS handshake: check its ssl_cert_file/ssl_key_file, or use sslmode=disable on a trusted local network.', handshake.code ?? 'TLS_HANDSHAKE', evidence);
    if (decision.verify === 'none') {
      return warn(`TLS works, but the certificate is not checked (${decision.mode})${handshake.chainError ? `; it would fail verification: ${handshake.chainError}` : ''}`, decision.warning ?? '', 'TLS_UNVERIFIED', evidence);
    }
    if (handshake.chainError) {
      const selfSigned = /SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/.test(handshake.chainError);
      return fail(
        `the certificate does not verify: ${handshake.chainError}`,
        selfSigned
          ? `The server's certificate is signed by a CA this machine does not trust. Download your provider's CA bundle (or the server's ca.crt) and add sslrootcert=/path/to/ca.pem to the URL; keep verification on.`
          : 'The certificate is expired or not yet valid: the server operator must renew it.',
        handshake.chainError,
        evidence,
      );
    }
    if (decision.verify === 'full' && handshake.nameError) {
      return fail(
        `the certificate does not cover the name "${settings.host}"`,
        `Connect with a name the certificate lists (${handshake.names.join(', ') || 'see evidence'}) instead of ${settings.host}${isIP(settings.host) ? ' (an IP address rarely appears in a certificate)' : ''}.`,
        'ERR_TLS_CERT_ALTNAME_INVALID',
        evidence,
      );
    }
    return pass(`TLS ${handshake.protocol}, certificate verified for ${settings.host}`, evidence);
  },
};

interface Inspection {
  evidence: string[];
  names: string[];
  protocol?: string;
  chainError?: string;
  nameError?: boolean;
  error?: string;
  code?: string;
}

function inspectCertificate(socket: Socket, host: string, rootcert: string | undefined, signal: AbortSignal): Promise<Inspection> {
  return new Promise((resolve) => {
    let ca: string | undefined;
    try {
      ca = rootcert && rootcert !== 'system' ? readPem('sslrootcert', rootcert) : undefined;
    } catch {
      ca = undefined;
    }
    // Verification is evaluated below, not enforced here, so every problem can be reported at once.
    const tls: TLSSocket = tlsConnect({ socket, servername: isIP(host) ? undefined : host, rejectUnauthorized: false, ...(ca ? { ca } : {}) });
    const finish = (result: Inspection): void => {
      signal.removeEventListener('abort', onAbort);
      tls.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ evidence: [], names: [], error: 'cancelled', code: 'TIMEOUT' });
    signal.addEventListener('abort', onAbort, { once: true });
    tls.once('error', (error: NodeJS.ErrnoException) => finish({ evidence: [], names: [], error: error.message, code: error.code ?? 'TLS_HANDSHAKE' }));
    tls.once('secureConnect', () => {
      const cert = tls.getPeerCertificate(true);
      const names = certificateNames(cert);
      const evidence = [
        `protocol ${tls.getProtocol() ?? '?'}, cipher ${tls.getCipher()?.name ?? '?'}`,
        `certificate subject CN=${cert.subject?.CN ?? '?'}, names: ${names.join(', ') || '(none)'}`,
        `issued by ${cert.issuer?.CN ?? cert.issuer?.O ?? '?'}, valid ${cert.valid_from} → ${cert.valid_to}`,
        `CA used: ${ca ? rootcert : 'the system CA store'}`,
      ];
      const authError = tls.authorizationError as unknown as (Error & { code?: string }) | string | null;
      const chainError = tls.authorized ? undefined : typeof authError === 'object' && authError?.code ? authError.code : normaliseChainError(String(authError ?? 'UNVERIFIED'));
      const nameError = checkServerIdentity(host, cert) !== undefined;
      finish({ evidence, names, protocol: tls.getProtocol() ?? '', ...(chainError ? { chainError } : {}), nameError });
    });
  });
}

function certificateNames(cert: PeerCertificate): string[] {
  const alt = cert.subjectaltname ? cert.subjectaltname.split(/,\s*/).map((entry) => entry.replace(/^(DNS|IP Address):/, '')) : [];
  const cn = cert.subject?.CN;
  return alt.length > 0 ? alt : cn ? [cn].flat() : [];
}

function normaliseChainError(text: string): string {
  const map: Record<string, string> = {
    'self-signed certificate in certificate chain': 'SELF_SIGNED_CERT_IN_CHAIN',
    'self-signed certificate': 'DEPTH_ZERO_SELF_SIGNED_CERT',
    'self signed certificate': 'DEPTH_ZERO_SELF_SIGNED_CERT',
    'self signed certificate in certificate chain': 'SELF_SIGNED_CERT_IN_CHAIN',
    'unable to verify the first certificate': 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'certificate has expired': 'CERT_HAS_EXPIRED',
    'unable to get local issuer certificate': 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  };
  const trimmed = text.replace(/^Error:\s*/, '');
  return map[trimmed] ?? trimmed;
}
