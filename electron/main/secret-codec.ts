import { safeStorage } from 'electron';
import { plainCodec, type SecretCodec } from '../stack/secrets/secret-store';

/**
 * Secrets on the desktop are encrypted with the OS keychain through Electron's safeStorage (Keychain on
 * macOS, DPAPI on Windows, libsecret/kwallet on Linux). Where no keychain backend exists (a bare Linux
 * session reports `basic_text`), safeStorage would only obfuscate, so the plain 0600 file is used and
 * the caller is told why.
 */
export function desktopSecretCodec(onWarning: (message: string) => void): SecretCodec {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    onWarning(`OS keychain encryption is not available (backend: ${backend}); secrets stay in a 0600 file in the data dir.`);
    return plainCodec;
  }
  return {
    name: 'electron-safeStorage',
    encode: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decode: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  };
}
