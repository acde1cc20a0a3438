import { describe, expect, it } from 'vitest'
import { localizeServerMessage } from '@/composables/serverMessages'
import { i18n } from '@/i18n'

// Messages from backend/voting/*.py that staff meet on the compose and manage screens.
const MESSAGES: [string, string][] = [
  ['Give at least two options.', '请至少填写两个选项'],
  ['Must be after the poll opens.', '截止时间须晚于开始时间'],
  ['Must be in the future.', '须是将来的时间'],
  ['Choices must be 1 ≤ at least ≤ at most ≤ the number of options.', '选择数须满足：1 ≤ 至少选 ≤ 最多选 ≤ 选项数'],
  ['Choose the whole community, some grids or buildings.', '请选择全社区，或至少一个网格或楼栋'],
  ["Choose among this poll's options, each once.", '只能在本投票的选项中选择，每项一次'],
  ['Choose 1 to 3 options.', '须选择 1 到 3 项'],
  ['This code is wrong or already used.', '选票码不正确或已使用'],
  ['No such resident.', '没有这位居民'],
]

describe('poll messages', () => {
  it.each(MESSAGES)('%s', (english, chinese) => {
    i18n.global.locale.value = 'zh-CN'
    expect(localizeServerMessage(english)).toBe(chinese)
    i18n.global.locale.value = 'en'
    expect(localizeServerMessage(english)).toBe(english)
    i18n.global.locale.value = 'zh-CN'
  })

  it('the staff-facing error codes are said in both languages', () => {
    for (const code of ['poll_not_draft', 'poll_not_open', 'paper_not_supported', 'code_invalid', 'results_hidden']) {
      expect(i18n.global.te(`errors.${code}`, 'zh-CN') && i18n.global.te(`errors.${code}`, 'en')).toBe(true)
    }
  })
})
