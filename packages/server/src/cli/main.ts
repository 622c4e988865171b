/** Entry point of the `parley` command. */
import { runCli } from './cli.ts';

const code = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
  stdin: async () => {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});
// `serve` keeps running; everything else ends here.
if (process.argv[2] !== 'serve') process.exit(code);
