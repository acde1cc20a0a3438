import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, type FieldErrors } from '@/api/client'
import { i18n } from '@/i18n'
import { fieldErrors } from '@/composables/apiErrors'
import { localizeServerMessage, localizeServerMessages } from '@/composables/serverMessages'

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

// [what the server says, Chinese, English]
const CASES: [string, string, string][] = [
  ['Missing data for required field.', '必填', 'Required.'],
  ['Not a valid integer.', '请填写整数', 'Must be a whole number.'],
  ['Not a valid boolean.', '请选择“是”或“否”', 'Must be yes or no.'],
  ['Must not be blank.', '不能为空白', 'Must not be blank.'],
  ['Not a mainland mobile phone number.', '请输入正确的11位手机号', 'Enter an 11-digit mainland mobile number.'],
  ['Shorter than minimum length 8.', '至少 8 个字', 'At least 8 characters.'],
  ['Longer than maximum length 50.', '最多 50 个字', 'At most 50 characters.'],
  ['Length must be between 1 and 50.', '须为 1 到 50 个字', 'Must be 1 to 50 characters long.'],
  ['Must be greater than or equal to 1 and less than or equal to 20.', '须在 1 到 20 之间', 'Must be between 1 and 20.'],
  ['Must be greater than or equal to 1.', '不能小于 1', 'Must be at least 1.'],
  ['Must be one of: owner, tenant, family.', '须为以下之一：owner, tenant, family', 'Must be one of: owner, tenant, family.'],
  ['Unknown field.', '不支持此项', 'Unknown field.'],
  ['Already registered.', '已被注册', 'Already registered.'],
  ['The current password is wrong.', '当前密码不正确', 'The current password is wrong.'],
  ['No such dwelling in this community.', '本社区没有这一项', 'Not found in this community.'],
  ['building: required', '楼栋：必填', 'Building: required'],
  ['room: required', '房号：必填', 'Room: required'],
  ['grid: too long', '网格：内容太长', 'Grid: too long'],
  [
    'floor_area: must be a number of square metres between 1 and 10000',
    '面积须在 1 到 10000 平方米之间',
    'Floor area must be 1 to 10000 square metres',
  ],
  ['owner_phone: 123 is not a mobile number', '业主手机：123 不是手机号', 'Owner phone: 123 is not a mobile number'],
  ['duplicate of line 2', '与第 2 行重复', 'Duplicate of line 2'],
  ['Missing column: floor_area', '缺少列：面积', 'Missing column: Floor area'],
  ['Larger than 2 MB.', '文件超过 2 MB', 'The file is larger than 2 MB'],
  ['Digits, spaces, dashes and + only.', '只能填写数字、空格、短横线、括号和 +', 'Digits, spaces, dashes, brackets and + only'],
  ['Not a valid URL.', '网址格式不正确', 'Not a valid web address'],
]

describe('server messages', () => {
  it.each(CASES)('%s → Chinese', (server, zh) => {
    expect(localizeServerMessage(server)).toBe(zh)
  })

  it.each(CASES)('%s → English', (server, _zh, en) => {
    i18n.global.locale.value = 'en'
    expect(localizeServerMessage(server)).toBe(en)
  })

  it('does not guess at messages it does not know', () => {
    expect(localizeServerMessage('Something entirely new.')).toBeNull()
    expect(localizeServerMessage('Must be greater than 5.')).toBeNull()
  })

  it('joins a row of messages, unknown ones as the fallback in Chinese and verbatim in English', () => {
    const row = ['building: required', 'floor_area: must be a number of square metres between 1 and 10000', 'Odd.']
    expect(localizeServerMessages(row, '此项填写有误')).toBe('楼栋：必填；面积须在 1 到 10000 平方米之间；此项填写有误')
    i18n.global.locale.value = 'en'
    expect(localizeServerMessages(row, 'Please check this field')).toBe(
      'Building: required Floor area must be 1 to 10000 square metres Odd.',
    )
  })

  it('says the fallback once for several unknown messages, and for an empty or odd list', () => {
    expect(localizeServerMessages(['Odd.', 'Odder.'], '此项填写有误')).toBe('此项填写有误')
    expect(localizeServerMessages([], '此项填写有误')).toBe('此项填写有误')
    expect(localizeServerMessages({ 0: ['nested'] }, '此项填写有误')).toBe('此项填写有误')
  })
})

describe('field errors', () => {
  const err = new ApiError('validation_failed', 422, '', {
    phone: ['Already registered.'],
    relation: ['Must be one of: owner, tenant, family.'],
    invite_code: ['Shorter than minimum length 4.'],
    care_mode: ['Not a valid boolean.'],
    name: ['Something entirely new.'],
    current_password: ['Something entirely new.'],
  })

  it('are in Chinese, with the field’s own or the generic message for unknown ones', () => {
    expect(fieldErrors(err)).toEqual({
      phone: '已被注册',
      relation: '须为以下之一：owner, tenant, family',
      invite_code: '至少 4 个字',
      care_mode: '请选择“是”或“否”',
      name: '此项填写有误',
      current_password: '当前密码不正确',
    })
  })

  it('are in English, with the server’s words for unknown ones', () => {
    i18n.global.locale.value = 'en'
    expect(fieldErrors(err)).toEqual({
      phone: 'Already registered.',
      relation: 'Must be one of: owner, tenant, family.',
      invite_code: 'At least 4 characters.',
      care_mode: 'Must be yes or no.',
      name: 'Something entirely new.',
      current_password: 'Something entirely new.',
    })
  })

  it('name errors inside lists by dotted path', () => {
    const nested = new ApiError('validation_failed', 422, '', {
      materials: { 1: { name: ['Missing data for required field.'] } },
      steps: { 0: ['Must not be blank.'] },
      title: ['Longer than maximum length 100.'],
    } as unknown as FieldErrors)
    expect(fieldErrors(nested)).toEqual({ 'materials.1.name': '必填', 'steps.0': '不能为空白', title: '最多 100 个字' })
  })
})
