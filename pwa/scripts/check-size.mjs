// Size budget: the JS and CSS that index.html loads up front, gzipped, must stay under the limit.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const LIMIT_KB = 150
const dist = new URL('../dist/', import.meta.url).pathname
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const assets = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1])

let total = 0
for (const file of assets) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
  total += size
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`)
}
const kb = total / 1024
console.log(`${kb.toFixed(1).padStart(7)} KB  initial JS+CSS gzip (budget ${LIMIT_KB} KB)`)
if (kb > LIMIT_KB) {
  console.error('Size budget exceeded')
  process.exit(1)
}
