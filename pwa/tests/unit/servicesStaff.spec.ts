import { describe, expect, it } from 'vitest'
import type { Provider } from '@/api/providersStaff'
import { i18n } from '@/i18n'
import { emptyProvider, fromProvider, priceText, toProviderInput, validateProvider } from '@/views/services/staff/form'

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)

const provider: Provider = {
  id: 5,
  name: '好邻居家政',
  category: 'housekeeping',
  description: '',
  phone: '0755-1234567',
  address: '幸福路 8 号',
  latitude: 22.54,
  longitude: 113.94,
  service_area: '本社区',
  hours: { mon: [['08:00', '18:00']] },
  photos: ['abc'],
  licence_file_id: 'lic',
  services: [{ id: 9, name: '日常保洁', description: '', price_from: '30.00', price_to: '45.50', unit: '小时' }],
  open_now: true,
  rating: { average: 4.5, count: 2 },
  bookable_resource_id: null,
  status: 'pending',
  status_reason: '',
  verified_by: null,
  verified_at: null,
}

describe('provider form', () => {
  it('writes prices as people do and round-trips a provider, service ids kept', () => {
    expect(priceText('30.00')).toBe('30')
    expect(priceText('29.50')).toBe('29.5')
    expect(priceText(null)).toBe('')
    const f = fromProvider(provider)
    expect(f.services[0]).toMatchObject({ id: 9, priceFrom: '30', priceTo: '45.5' })
    expect(validateProvider(f, t)).toEqual({})
    expect(toProviderInput(f)).toMatchObject({
      latitude: 22.54,
      licence_file_id: 'lic',
      hours: { mon: [['08:00', '18:00']], tue: [] },
      services: [{ id: 9, name: '日常保洁', price_from: 30, price_to: 45.5, unit: '小时' }],
    })
  })

  it('sends blank prices as "ask", no coordinates as null, and drops a wholly blank service row', () => {
    const f = emptyProvider()
    Object.assign(f, { name: '老王开锁', phone: '13800000000', category: 'locksmith' })
    f.services = [{ name: '开锁', description: '', priceFrom: '', priceTo: '', unit: '' }, { name: ' ', description: '', priceFrom: '', priceTo: '', unit: '' }]
    expect(validateProvider(f, t)).toEqual({})
    const input = toProviderInput(f)
    expect(input.services).toEqual([{ name: '开锁', description: '', price_from: null, price_to: null, unit: '' }])
    expect(input).toMatchObject({ latitude: null, longitude: null })
  })

  it('finds a price range upside down, a bad amount, half a location and a nameless priced service', () => {
    const f = emptyProvider()
    Object.assign(f, { name: '', phone: '', latitude: '22.5' })
    f.services = [
      { name: '保洁', description: '', priceFrom: '50', priceTo: '30', unit: '' },
      { name: '擦窗', description: '', priceFrom: '1.234', priceTo: '', unit: '' },
      { name: '', description: '', priceFrom: '10', priceTo: '', unit: '' },
    ]
    expect(Object.keys(validateProvider(f, t)).sort()).toEqual([
      'latitude',
      'name',
      'phone',
      'services.0.price_to',
      'services.1.price_from',
      'services.2.name',
    ])
  })
})
