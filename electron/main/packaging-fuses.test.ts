import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { describe, expect, it } from 'vitest';

/**
 * The packaged app's fuses, read the way `npm run dist` reads them: electron-builder loads
 * electron-builder.yml and validates it against its schema (a misspelt fuse fails here, not silently).
 */
describe('packaging config', () => {
  it('flips the fuses that close the code-injection doors of the packaged binary', async () => {
    const config = await getConfig(process.cwd(), null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // onlyLoadAppFromAsar needs the app in an asar archive: packaging without one would not start.
    expect(config.asar).not.toBe(false);
  });
});
