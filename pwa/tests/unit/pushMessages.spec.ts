import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { localizeServerMessage } from '@/composables/serverMessages'

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

// What backend/push says about a device it will not save, in both languages.
describe('push device messages', () => {
  it.each([
    ['Not a known push service.', '不是浏览器的推送服务地址', 'Not a browser push service address'],
    ['Must be an https push service URL.', '不是浏览器的推送服务地址', 'Not a browser push service address'],
    ['This device is registered to another account.', '这台设备已登记在另一个账号下', 'This device is registered to another account'],
  ])('%s', (server, zh, en) => {
    expect(localizeServerMessage(server)).toBe(zh)
    i18n.global.locale.value = 'en'
    expect(localizeServerMessage(server)).toBe(en)
  })
})
