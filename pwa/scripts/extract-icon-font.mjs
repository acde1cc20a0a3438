// Vant ships its icon font as a data: URL (with a CDN fallback), which a strict CSP
// (font-src 'self') blocks. This copies the font out as a file we serve ourselves.
// Run after upgrading vant: node scripts/extract-icon-font.mjs
import { readFileSync, writeFileSync } from 'node:fs'

const css = readFileSync(new URL('../node_modules/vant/es/icon/index.css', import.meta.url), 'utf8')
const match = css.match(/url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)/)
if (!match) throw new Error('No woff2 data URL in vant/es/icon/index.css')
writeFileSync(new URL('../src/assets/vant-icon.woff2', import.meta.url), Buffer.from(match[1], 'base64'))
console.log('src/assets/vant-icon.woff2 written')
