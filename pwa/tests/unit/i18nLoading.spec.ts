import { describe, expect, it, vi } from 'vitest'

// The app's own i18n, as it starts: the test setup filled the shared one with every message.
async function freshI18n() {
  vi.resetModules()
  return import('@/i18n')
}

describe('loading messages', () => {
  it('starts with the Chinese core only', async () => {
    const { i18n } = await freshI18n()
    expect(i18n.global.t('app.name')).toBe('社区云')
    expect(i18n.global.t('voting.title')).toBe('投票表决') // the home grid's names are in the core
    expect(i18n.global.te('voting.closed', 'zh-CN')).toBe(false)
    expect(i18n.global.te('app.name', 'en')).toBe(false)
  })

  it("fetches a screen's features in the language shown only", async () => {
    const { i18n, loadMessages } = await freshI18n()
    await loadMessages(['voting'])
    expect(i18n.global.t('voting.closed')).toBe('已截止')
    expect(i18n.global.te('voting.closed', 'en')).toBe(false)
  })

  it('switches language once its core and the features loaded so far are in', async () => {
    const { i18n, loadMessages, setLocale } = await freshI18n()
    await loadMessages(['voting'])
    const switching = setLocale('en')
    expect(i18n.global.locale.value).toBe('zh-CN')
    await switching
    expect(i18n.global.locale.value).toBe('en')
    expect(document.documentElement.lang).toBe('en')
    expect(i18n.global.t('app.name')).toBe('Community Cloud')
    expect(i18n.global.t('voting.closed')).toBe('Closed')
    await loadMessages(['bookings'])
    expect(i18n.global.t('bookings.mine')).toBe('My bookings')
    expect(i18n.global.te('bookings.mine', 'zh-CN')).toBe(false)
  })

  it('a switch back before the first one is done keeps the last choice', async () => {
    const { i18n, setLocale } = await freshI18n()
    const toEnglish = setLocale('en')
    await setLocale('zh-CN')
    await toEnglish
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
  })
})
