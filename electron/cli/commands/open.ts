import { findRunningHost } from '../../host/running-host';
import { BulkheadError } from '../../stack/errors';
import { resolveDataDir } from '../../stack/store/data-dir';
import { EXIT, UsageError, type CliCommand } from '../command';
import { reopenCommand } from '../reopen-hint';

export const openCommand: CliCommand = {
  name: 'open',
  summary: 'Print a fresh link to the panel of the Bulkhead already running',
  usage: `bulkhead open [--data-dir D] [--page NAME] [--json]

Asks the browser host running on this data dir (started by \`bulkhead serve\` or \`npm start\`) for a
new launch link and prints it. A link opens the panel once, in one tab, within 10 minutes; run this
again for another tab or when a link was used or expired.

Options:
  --data-dir D    the data dir the running Bulkhead uses
                  (default: BULKHEAD_DATA_DIR, else the desktop app's data folder)
  --page NAME     open this page (stress, history, pool, doctor, …) instead of the overview
  --json          print {"url", "expires_at"} only
  -h, --help      show this help

Exit codes: 0 link printed, 1 no Bulkhead is running on this data dir, 2 usage error.`,
  options: {
    'data-dir': { type: 'string' },
    page: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    const dataDir = resolveDataDir({ flag: values['data-dir'] as string | undefined, env: io.env });
    const page = values.page as string | undefined;
    if (page !== undefined && !/^[a-z][a-z-]{0,39}$/.test(page)) throw new UsageError(`--page must be a page name such as stress or history, got ${JSON.stringify(page)}.`);
    const host = await findRunningHost(dataDir, io.signal);
    if (!host) {
      throw new BulkheadError('HOST_NOT_RUNNING', `No Bulkhead browser host is running on the data dir ${dataDir}.`, {
        remedy: `Start one with \`npx bulkhead serve${dataDir === resolveDataDir({ env: {} }) ? '' : ` --data-dir ${dataDir}`}\` (or \`npm start\`); it prints its link. The desktop app needs no link: switch to its window.`,
      });
    }
    const link = await host.launchLink(page, io.signal);
    if (values.json) {
      io.stdout(`${JSON.stringify({ url: link.url, expires_at: new Date(link.expiresAt).toISOString() })}\n`);
    } else {
      io.stdout(`Bulkhead panel: ${link.url}\n`);
      io.stderr(`This link opens the panel once, within ${Math.round((link.expiresAt - Date.now()) / 60_000)} minutes. For another: ${reopenCommand(dataDir)}\n`);
    }
    return EXIT.ok;
  },
};
