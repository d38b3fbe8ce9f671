import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and the server and client certificates it signed (by default for 127.0.0.1 and localhost). PEM text. */
export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/**
 * Generates a fresh self-signed CA, a server certificate and a client certificate with openssl.
 *
 * @param name the CA's common name.
 * @param serverNames the subject alternative names of the server certificate.
 */
export function generatePki(name = 'k1s0 test CA', serverNames: string[] = ['IP:127.0.0.1', 'DNS:localhost']): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'k1s0-pki-'));
  try {
    openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`);
    writeFileSync(join(dir, 'server.ext'), `subjectAltName=${serverNames.join(',')}\nextendedKeyUsage=serverAuth\n`);
    writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const who of ['server', 'client']) {
      openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'k1s0-client'}`);
      openssl(dir, 'x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2', '-extfile', `${who}.ext`);
    }
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return { ca: read('ca.pem'), serverCert: read('server.pem'), serverKey: read('server.key'), clientCert: read('client.pem'), clientKey: read('client.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
