import { startBrowserHost } from '../../host/browser-host';
import { findRunningHost } from '../../host/running-host';
import { resolveDataDir } from '../../stack/store/data-dir';
import type { CliCommand } from '../command';
import { parseIntOption } from '../option-parsers';
import { reopenCommand } from '../reopen-hint';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the stack and serve the panel to your browser on 127.0.0.1',
  usage: `bulkhead serve [--port N] [--data-dir D]

Starts the agent stack and the browser host, then prints the panel's launch link. The link opens the
panel once, in one tab, within 10 minutes; \`bulkhead open\` prints a new one while Bulkhead runs. If a
Bulkhead already serves this data dir, this prints a new link to it and exits. The host listens on
127.0.0.1 only.

It also prints BULKHEAD_ATTACH=<url>: start your own agents with that variable set and the processes
that use the bulkhead-governance library appear on the panel (report-only; see docs/attach-protocol.md).

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
    const running = await findRunningHost(dataDir, io.signal).catch(() => null);
    if (running) {
      // `npm start` twice is the natural way back to a panel whose tab was closed: hand out a new link.
      const link = await running.launchLink(undefined, io.signal);
      io.stdout(`Bulkhead panel: ${link.url}\n`);
      io.stderr(`Bulkhead is already running on this data dir (pid ${running.pid}); that is a new link to it.\n`);
      return 0;
    }
    const host = await startBrowserHost({ dataDir, port, onProgress: (line) => io.stderr(`${line}\n`) });
    io.stdout(`Bulkhead panel: ${host.launchLink().url}\n`);
    const attachUrl = host.stack.attachUrl();
    // One line a shell can paste or a script can grep: processes started with it report to this panel.
    if (attachUrl) io.stdout(`BULKHEAD_ATTACH=${attachUrl}\n`);
    io.stderr(`The link opens the panel once, within 10 minutes. For another tab, or later: ${reopenCommand(dataDir)}\n`);
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
