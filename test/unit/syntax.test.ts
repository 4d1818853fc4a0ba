import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { parseXml } from '../../server/src/syntax/parse';
import { decodeBytes } from '../../server/src/syntax/text';

describe('positions and text', () => {
  it('counts lines across \\r\\n, \\r and \\n and columns in UTF-16 units', () => {
    const text = 'a\r\nbé🚀c\rd\ne';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.positionAt(text.indexOf('c')), { line: 1, character: 4 });
    assert.deepEqual(lines.positionAt(text.indexOf('d')), { line: 2, character: 0 });
    assert.equal(lines.offsetAt({ line: 1, character: 4 }), text.indexOf('c'));
    assert.equal(lines.offsetAt({ line: 9, character: 0 }), text.length);
  });

  it('drops a UTF-8 BOM and falls back to Windows-1252 for non-UTF-8 bytes', () => {
    assert.deepEqual(decodeBytes(Buffer.from('\uFEFF<a/>', 'utf8')), { text: '<a/>', hadBom: true, fallbackEncoding: undefined });
    const latin = decodeBytes(Buffer.from([0x3c, 0x61, 0x20, 0x78, 0x3d, 0x22, 0xe9, 0x22, 0x2f, 0x3e]));
    assert.equal(latin.text, '<a x="é"/>');
    assert.equal(latin.fallbackEncoding, 'windows-1252');
  });
});

describe('parsing into the document model', () => {
  it('keeps exact name and value ranges, decodes entities, and links parents', () => {
    const text = `<ConfigurationFile xmlns="urn:x">\n  <!-- c -->\n  <Job Identifier='J&apos;1' DisplayName_L1="Été">\n    <Step Identifier="T"/>\n  </Job>\n</ConfigurationFile>`;
    const doc = parseXml(text);
    assert.deepEqual(doc.syntaxErrors, []);
    const job = doc.roots[0].children[0];
    assert.equal(job.name, 'Job');
    assert.equal(text.slice(job.nameSpan.start, job.nameSpan.end), 'Job');
    const identifier = job.attributes[0];
    assert.equal(identifier.value, "J'1");
    assert.equal(text.slice(identifier.valueSpan!.start, identifier.valueSpan!.end), 'J&apos;1');
    assert.equal(identifier.hasEntities, true);
    assert.equal(job.children[0].parent, job);
    assert.equal(job.children[0].closed, true);
    assert.equal(text.slice(job.span.start, job.span.end), text.slice(text.indexOf('<Job'), text.indexOf('</Job>') + 6));
  });

  it('reports malformed input without throwing, and survives pathological nesting', () => {
    for (const text of ['<a', '<a b="', '<a><b></a>', '', '<<<>>>', '<a x="1" x="2"/>']) assert.doesNotThrow(() => parseXml(text));
    const deep = '<a>'.repeat(20000) + '</a>'.repeat(20000);
    const doc = parseXml(deep);
    assert.ok(doc.roots.length <= 1);
    assert.ok(parseXml('<a><b></a>').syntaxErrors.length > 0);
    // Error recovery on empty input must not invent an element without a place in the text.
    assert.deepEqual(parseXml('').roots, []);
    for (const text of ['', '<', '<a', '</a>', '<a b=>']) for (const root of parseXml(text).roots) assert.ok(Number.isFinite(root.span.start) && Number.isFinite(root.span.end), text);
  });
});
