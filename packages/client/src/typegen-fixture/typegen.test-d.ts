// Type tests (vitest typecheck) of generated types: rows as reads return them (exact numbers as
// strings, nullable optional columns, no secret column), inserts that need only the required
// columns without a default, and updates where everything is optional.
import { describe, expectTypeOf, it } from 'vitest'
import type { Database, Json, Tables, TablesInsert, TablesUpdate } from './database.generated.js'

describe('generated Database types', () => {
  it('types a row as the record APIs and the data API return it', () => {
    expectTypeOf<Tables<'orders'>>().toEqualTypeOf<{
      id: string
      user_id: string
      total: string
      rating: number | null
      quantity: number
      paid: boolean | null
      meta: Json | null
      due: string | null
      created_at: string
    }>()
    // A secret column is never returned, so it is not in the row type.
    expectTypeOf<Tables<'users'>>().not.toHaveProperty('password_hash')
  })

  it('needs only the required columns without a default on insert, and nothing on update', () => {
    expectTypeOf<{ id: 1; user_id: 'u'; quantity: 2 }>().toExtend<TablesInsert<'orders'>>()
    expectTypeOf<{ id: 1; user_id: 'u' }>().not.toExtend<TablesInsert<'orders'>>()
    expectTypeOf<{ total: 19.5 }>().toExtend<TablesInsert<'orders'> | TablesUpdate<'orders'>>()
    expectTypeOf<Record<string, never>>().toExtend<TablesUpdate<'orders'>>()
    expectTypeOf<keyof Database['public']['Tables']>().toEqualTypeOf<'orders' | 'users'>()
  })

  it('names each reference as supabase-js reads it', () => {
    expectTypeOf<
      Database['public']['Tables']['orders']['Relationships'][0]['referencedRelation']
    >().toEqualTypeOf<'users'>()
  })
})
