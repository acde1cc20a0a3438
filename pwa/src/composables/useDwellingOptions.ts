import { ref } from 'vue'
import type { CascaderOption } from 'vant'
import { listBuildingDwellings, listBuildings } from '@/api/places'
import type { Dwelling } from '@/api/types'

// "2栋" before "10栋": compare the numbers in names as numbers.
const byName = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true })

/** Building → unit → room options for a Vant Cascader, loaded one building at a time. */
export function useDwellingOptions(unitLabel: (unit: string) => string) {
  const options = ref<CascaderOption[]>([])
  const dwellings = new Map<number, Dwelling>()

  async function loadBuildings(cid: number): Promise<void> {
    const buildings = (await listBuildings(cid)).sort((a, b) => byName(a.name, b.name))
    options.value = buildings.map((b) => ({ text: b.name, value: `b${b.id}`, children: [] }))
  }

  async function loadUnits(cid: number, option: CascaderOption): Promise<void> {
    if (option.children?.length) return
    const bid = Number(String(option.value).slice(1))
    const units = new Map<string, CascaderOption[]>()
    for (const d of await listBuildingDwellings(cid, bid)) {
      dwellings.set(d.id, d)
      if (!units.has(d.unit)) units.set(d.unit, [])
      units.get(d.unit)!.push({ text: d.room, value: d.id })
    }
    option.children = [...units].sort((a, b) => byName(a[0], b[0])).map(([unit, rooms]) => ({
      text: unit ? unitLabel(unit) : '—',
      value: `u${bid}-${unit}`,
      children: rooms.sort((a, b) => byName(a.text ?? '', b.text ?? '')),
    }))
  }

  const dwelling = (id: number) => dwellings.get(id)
  return { options, loadBuildings, loadUnits, dwelling }
}
