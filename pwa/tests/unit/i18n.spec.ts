import { describe, expect, it } from 'vitest'
import { allMessages } from './messages'

const zhCN = allMessages('zh-CN')
const en = allMessages('en')

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

function placeholders(obj: object): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  const walk = (o: object, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'object') walk(v, `${prefix}${k}.`)
      else out[`${prefix}${k}`] = [...new Set([...String(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort() // plural forms repeat them
    }
  }
  walk(obj, '')
  return out
}

describe('messages', () => {
  it('both languages have exactly the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })

  it('both languages use the same placeholders', () => {
    expect(placeholders(en)).toEqual(placeholders(zhCN))
  })

  it('no message is empty', () => {
    for (const messages of [zhCN, en]) {
      const values = Object.values(placeholders(messages))
      expect(values.length).toBeGreaterThan(50)
    }
    const empty = (o: object): boolean =>
      Object.values(o).some((v) => (typeof v === 'object' ? empty(v) : String(v).trim() === ''))
    expect(empty(zhCN)).toBe(false)
    expect(empty(en)).toBe(false)
  })
})

describe('icon font', () => {
  it('is the one in the installed vant (rerun scripts/extract-icon-font.mjs after upgrading)', async () => {
    const { readFileSync } = await import('node:fs')
    const css = readFileSync('node_modules/vant/es/icon/index.css', 'utf8')
    const b64 = css.match(/data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)/)![1]
    expect(readFileSync('src/assets/vant-icon.woff2').toString('base64')).toBe(b64)
  })
})
