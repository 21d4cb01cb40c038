// Prints the text of a PDF, page by page, one text run per line: `node pdf-text.mjs file.pdf`. A child process,
// because pdf.js is an ES module and the tests run as CommonJS.
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n += 1) {
  const content = await (await pdf.getPage(n)).getTextContent();
  pages.push(content.items.map((item) => ('str' in item ? item.str : '')).filter((text) => text.trim() !== '').join('\n'));
}
process.stdout.write(pages.join('\n'));
