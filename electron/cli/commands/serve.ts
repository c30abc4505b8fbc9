import { startBrowserHost } from '../../host/browser-host';
import { resolveDataDir } from '../../stack/store/data-dir';
import type { CliCommand } from '../command';
import { parseIntOption } from '../option-parsers';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the stack and serve the panel to your browser on 127.0.0.1',
  usage: `bulkhead serve [--port N] [--data-dir D]

Starts the agent stack and the browser host, then prints the panel URL. The URL carries a random
access token that changes every launch; the host listens on 127.0.0.1 only.

Options:
  --port N        port on 127.0.0.1 (default 0: any free port)
  --data-dir D    where runs, samples and settings are kept
                  (default: BULKHEAD_DATA_DIR, else the desktop app's data folder)
  -h, --help      show this help`,
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  async run(values, _positionals, io) {
    const port = parseIntOption('port', values.port, { min: 0, max: 65535 }) ?? 0;
    const dataDir = resolveDataDir({ flag: values['data-dir'] as string | undefined, env: io.env });
    const host = await startBrowserHost({ dataDir, port, onProgress: (line) => io.stderr(`${line}\n`) });
    io.stdout(`Bulkhead panel: ${host.url}\n`);
    io.stderr(`data dir: ${dataDir}\nPress Ctrl+C to stop.\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    io.stderr('stopping…\n');
    await host.stop();
    return 0;
  },
};
