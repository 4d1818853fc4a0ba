import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generateTree, SIZES } from '../../bench/generate';
import type { XmlDocument, XmlElement } from '../../server/src/syntax/model';
import { parseXml } from '../../server/src/syntax/parse';
import { parseDocument, scanXml } from '../../server/src/syntax/scan';
import { decodeBytes } from '../../server/src/syntax/text';
import { listXmlFiles } from '../../server/src/workspace/discovery';

/** A canonical form of a document: every field, parents as the parent's start offset. */
function canonical(doc: XmlDocument): string {
  const element = (e: XmlElement): unknown => ({ ...e, parent: e.parent?.span.start ?? null, children: e.children.map(element) });
  return JSON.stringify({ roots: doc.roots.map(element), syntaxErrors: doc.syntaxErrors });
}

/** The scanner either gives up or builds exactly what the reference parser builds. */
function agrees(text: string): 'scanned' | 'fallback' {
  const scanned = scanXml(text);
  if (!scanned) return 'fallback';
  const reference = parseXml(text);
  assert.equal(canonical(scanned), canonical(reference), `scanner and reference differ on: ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)}`);
  return 'scanned';
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const root = path.resolve(__dirname, '../../..');
const corpus = (): string[] => {
  const texts: string[] = [];
  for (const folder of ['test/fixtures', 'examples']) {
    for (const file of listXmlFiles(path.join(root, folder))) texts.push(decodeBytes(fs.readFileSync(file)).text);
  }
  const tree = generateTree({ bytes: SIZES.tiny, seed: 7 });
  for (const [name, bytes] of tree.files) if (name.endsWith('.xml')) texts.push(decodeBytes(bytes).text);
  return texts;
};

describe('the fast scanner', () => {
  it('builds the reference document for every file of the fixtures, the examples and a generated tree', () => {
    let scanned = 0;
    for (const text of corpus()) {
      const result = agrees(text);
      if (result === 'scanned') scanned++;
      else assert.ok(parseXml(text).syntaxErrors.length > 0, 'the scanner gave up on a well-formed file of the corpus');
    }
    assert.ok(scanned > 50);
  });

  it('gives up or agrees on edge cases of the reference lexer', () => {
    const cases = [
      '<a/>', '<a></a>', '<a ></a >', '<a\r\n x = "1"\t/>', "<a x='1'y=\"2\"/>", '<a x="1" x="2"/>', '<a x="&lt;&#65;&#x42;&bogus;&"/>',
      '<?xml version="1.0"?><a/>', '<?xml version="1.0"?>\r\n<!-- c -->\r\n<a/>\r\n', '\n<?xml version="1.0"?><a/>', '<?xml-stylesheet href="x"?><a/>',
      '<!DOCTYPE a><a/>', '<a><![CDATA[ <b> ]]></a>', '<a><!-- x\ry --></a>', '<!-- x\ry --><a/>', '<a>\u2028</a>', '<!-- \u2028 --><a/>', '<a>x\ry</a>', '\r<a/>',
      '<a>&amp;&#1;&#x1;&#xZ;</a>', '<a>&amp</a>', '<a>& b</a>', '<a>&#;</a>', '<a>&é;</a>', '<aé/>', '<a é="1"/>', '<a\u00B7b/>', '<a x·="1"/>', '<a:b c:d="1"/>',
      '<a><b></a>', '<a></b>', '<a>', '<a', '', ' ', '<a/><b/>', '<a/>text', 'text<a/>', '<a x="<"/>', '<a x=1/>', '<a x/>', '< a/>', '</a>', '<a></ a>',
      '<a><?pi x?></a>', '<a>]]></a>', '<a x="\n\r"/>', '<a x="a>b"/>', '<1a/>', '<a 1="x"/>', '<a/ >', '<a>\t\n </a>\r\n\t', '<a/>\u00A0', '<a>' + '<b>'.repeat(300) + '</b>'.repeat(300) + '</a>',
    ];
    for (const text of cases) agrees(text);
    assert.equal(agrees('<a x="1"/>'), 'scanned');
    assert.equal(agrees('<a><b></a>'), 'fallback');
  });

  it('gives up or agrees on thousands of random mutations of real files', () => {
    const rnd = random(42);
    const texts = corpus().filter((t) => t.length < 20000).slice(0, 40);
    const alphabet = ['<', '>', '&', '"', "'", '/', '=', '!', '?', '-', '\r', '\n', ' ', 'é', '·', ';', '#', 'x', '[', ']', '\u2028', ':'];
    let scanned = 0;
    for (let n = 0; n < 2000; n++) {
      let text = texts[n % texts.length];
      for (let edits = 1 + Math.floor(rnd() * 3); edits > 0; edits--) {
        const at = Math.floor(rnd() * text.length);
        const choice = rnd();
        if (choice < 0.4) text = text.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)] + text.slice(at);
        else if (choice < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3));
        else text = text.slice(0, at) + text.slice(at, at + 20) + text.slice(at);
      }
      if (agrees(text) === 'scanned') scanned++;
    }
    assert.ok(scanned > 300, `only ${scanned} mutations were scanned`);
  });

  it('parseDocument falls back to the reference for malformed text', () => {
    assert.ok(parseDocument('<a><b></a>').syntaxErrors.length > 0);
    assert.deepEqual(parseDocument('<a/>').syntaxErrors, []);
  });
});
