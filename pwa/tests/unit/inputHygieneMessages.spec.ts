import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { localizeServerMessage } from '@/composables/serverMessages'

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

// The messages of the input hygiene rules (backend/common/fields.py, common/schemas.py, places/importer.py).
const CASES: [string, string, string][] = [
  ['Contains characters that are not allowed.', '含有不允许的字符（控制符或不可见字符）', 'Contains characters that are not allowed.'],
  ['Letters and digits only.', '只能填写字母和数字', 'Letters and digits only.'],
  ['Nothing to change.', '没有需要修改的内容', 'Nothing to change.'],
  ['room: characters not allowed', '房号：含有不允许的字符', 'Room: characters not allowed'],
  ['Not readable as CSV.', '这一行无法读取（可能某一格内容太长）', 'This line cannot be read (a cell may be too long)'],
]

describe('input hygiene messages', () => {
  it.each(CASES)('%s → Chinese', (server, zh) => {
    expect(localizeServerMessage(server)).toBe(zh)
  })

  it.each(CASES)('%s → English', (server, _zh, en) => {
    i18n.global.locale.value = 'en'
    expect(localizeServerMessage(server)).toBe(en)
  })
})
