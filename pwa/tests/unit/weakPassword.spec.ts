import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'
import { errorMessage, fieldErrors } from '@/composables/apiErrors'

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

// What the server answers to a password that is too easy to guess (backend/accounts/services.py).
const weak = new ApiError('weak_password', 422, 'This password is too easy to guess.', {
  password: ['This password is too easy to guess.'],
})

describe('a weak password', () => {
  it('is said in Chinese on the field and in the form error', () => {
    expect(fieldErrors(weak).password).toBe('密码太容易被猜到，请换一个（不要用常见密码、手机号或姓名）')
    expect(errorMessage(weak)).toBe('密码太容易被猜到，请换一个')
  })

  it('is said in English', () => {
    i18n.global.locale.value = 'en'
    expect(fieldErrors(weak).password).toBe(
      'This password is too easy to guess: avoid common ones, your phone number or name.',
    )
    expect(errorMessage(weak)).toBe('This password is too easy to guess')
  })
})
