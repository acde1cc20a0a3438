import { describe, expect, it } from 'vitest'
import { nameDialogs } from '@/composables/a11y'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('nameDialogs', () => {
  it('points a dialog at its header or message by id, not at the text', async () => {
    const observer = nameDialogs(document.body)
    document.body.innerHTML = `
      <div class="van-dialog" role="dialog" aria-labelledby="孙桂兰的重置码"><div class="van-dialog__header">孙桂兰的重置码</div></div>
      <div class="van-dialog" role="dialog" aria-labelledby="确定撤回吗？"><div class="van-dialog__message">确定撤回吗？</div></div>`
    await tick()
    const [titled, plain] = document.querySelectorAll('[role=dialog]')
    expect(document.getElementById(titled.getAttribute('aria-labelledby')!)?.textContent).toBe('孙桂兰的重置码')
    expect(document.getElementById(plain.getAttribute('aria-labelledby')!)?.textContent).toBe('确定撤回吗？')
    titled.setAttribute('aria-labelledby', '新的标题') // a re-render puts text back: named again
    await tick()
    expect(document.getElementById(titled.getAttribute('aria-labelledby')!)).not.toBeNull()
    observer.disconnect()
  })
})
