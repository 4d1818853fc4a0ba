/** `node out/bench/cli-generate.js SIZE DIR [SEED]`: writes a generated configuration tree (see generate.ts). */
import { generateTree, SIZES, writeTree } from './generate';

const [size = 'small', dir, seed = '1'] = process.argv.slice(2);
if (!dir || !(size in SIZES)) {
  process.stderr.write(`usage: cli-generate ${Object.keys(SIZES).join('|')} DIR [SEED]\n`);
  process.exit(2);
}
const started = Date.now();
const tree = generateTree({ bytes: SIZES[size], seed: Number(seed) });
writeTree(dir, tree);
process.stdout.write(`${tree.files.size} files, ${(tree.bytes / 1024 / 1024).toFixed(1)} MB in ${Date.now() - started} ms: ${dir}\n${JSON.stringify(tree.hot.typicalFile)} ${JSON.stringify(tree.hot.largestFile)}\n`);
