import type { SchemaTemplate } from './schema-templates.js'
import { id, ref, requiredText, timestamps } from './columns.js'

/** A shop: categories, products, addresses, orders with items, reviews. */
export const ECOMMERCE_TEMPLATE: SchemaTemplate = {
  id: 'ecommerce',
  title: 'E-commerce',
  description:
    'A shop: a category tree, products with stock, customer addresses, orders with line items, and reviews.',
  tables: [
    {
      name: 'categories',
      columns: [
        id(),
        ref('parent_id', 'categories', 'set null'),
        requiredText('name'),
        { name: 'slug', type: 'text', required: true, unique: true },
        ...timestamps(),
      ],
    },
    {
      name: 'products',
      columns: [
        id(),
        ref('category_id', 'categories', 'set null'),
        requiredText('name'),
        { name: 'slug', type: 'text', required: true, unique: true },
        { name: 'description', type: 'text' },
        { name: 'sku', type: 'text', unique: true },
        { name: 'price', type: 'numeric', required: true },
        { name: 'currency', type: 'text', required: true, default: 'USD' },
        { name: 'stock', type: 'integer', required: true, default: 0 },
        { name: 'active', type: 'boolean', required: true, default: true },
        { name: 'attributes', type: 'jsonb', required: true, default: {} },
        ...timestamps(),
      ],
      indexes: [{ columns: ['category_id'] }],
    },
    {
      name: 'addresses',
      columns: [
        id(),
        ref('user_id', 'users', 'cascade', true),
        requiredText('line1'),
        { name: 'line2', type: 'text' },
        requiredText('city'),
        { name: 'postal_code', type: 'text' },
        requiredText('country'),
        { name: 'is_default', type: 'boolean', required: true, default: false },
        ...timestamps(),
      ],
      indexes: [{ columns: ['user_id'] }],
    },
    {
      name: 'orders',
      columns: [
        id(),
        ref('user_id', 'users', 'restrict', true),
        ref('shipping_address_id', 'addresses', 'set null'),
        { name: 'status', type: 'text', required: true, default: 'pending' },
        { name: 'total', type: 'numeric', required: true, default: 0 },
        { name: 'currency', type: 'text', required: true, default: 'USD' },
        { name: 'placed_at', type: 'timestamptz' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['user_id'] }, { columns: ['status'] }],
    },
    {
      name: 'order_items',
      columns: [
        id(),
        ref('order_id', 'orders', 'cascade', true),
        ref('product_id', 'products', 'restrict', true),
        { name: 'quantity', type: 'integer', required: true, default: 1 },
        { name: 'unit_price', type: 'numeric', required: true },
        ...timestamps(),
      ],
      indexes: [{ columns: ['order_id', 'product_id'], unique: true }],
    },
    {
      name: 'reviews',
      columns: [
        id(),
        ref('product_id', 'products', 'cascade', true),
        ref('user_id', 'users', 'cascade', true),
        { name: 'rating', type: 'integer', required: true },
        { name: 'body', type: 'text' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['product_id', 'user_id'], unique: true }],
    },
  ],
}

/** Bookable resources, their opening hours, bookings and payments. */
export const BOOKINGS_TEMPLATE: SchemaTemplate = {
  id: 'bookings',
  title: 'Bookings',
  description:
    'Bookable resources (rooms, tables, appointments) with weekly opening hours, bookings by users, and payments.',
  tables: [
    {
      name: 'resources',
      columns: [
        id(),
        requiredText('name'),
        { name: 'description', type: 'text' },
        { name: 'location', type: 'text' },
        { name: 'capacity', type: 'integer', required: true, default: 1 },
        { name: 'active', type: 'boolean', required: true, default: true },
        ...timestamps(),
      ],
    },
    {
      name: 'opening_hours',
      columns: [
        id(),
        ref('resource_id', 'resources', 'cascade', true),
        { name: 'weekday', type: 'integer', required: true },
        { name: 'opens_minute', type: 'integer', required: true },
        { name: 'closes_minute', type: 'integer', required: true },
        ...timestamps(),
      ],
      indexes: [{ columns: ['resource_id', 'weekday'] }],
    },
    {
      name: 'bookings',
      columns: [
        id(),
        ref('resource_id', 'resources', 'restrict', true),
        ref('user_id', 'users', 'cascade', true),
        { name: 'starts_at', type: 'timestamptz', required: true },
        { name: 'ends_at', type: 'timestamptz', required: true },
        { name: 'status', type: 'text', required: true, default: 'confirmed' },
        { name: 'guests', type: 'integer', required: true, default: 1 },
        { name: 'notes', type: 'text' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['resource_id', 'starts_at'] }, { columns: ['user_id'] }],
    },
    {
      name: 'payments',
      columns: [
        id(),
        ref('booking_id', 'bookings', 'cascade', true),
        { name: 'amount', type: 'numeric', required: true },
        { name: 'currency', type: 'text', required: true, default: 'USD' },
        { name: 'status', type: 'text', required: true, default: 'pending' },
        { name: 'provider_reference', type: 'text' },
        { name: 'paid_at', type: 'timestamptz' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['booking_id'] }],
    },
  ],
}

/** Organizations with members, invitations, projects, API keys and an audit log. */
export const SAAS_TEMPLATE: SchemaTemplate = {
  id: 'saas',
  title: 'Multi-tenant SaaS',
  description:
    'Organizations (tenants) with members and roles, invitations, projects per organization, API keys and an audit log.',
  tables: [
    {
      name: 'organizations',
      columns: [
        id(),
        requiredText('name'),
        { name: 'slug', type: 'text', required: true, unique: true },
        { name: 'plan', type: 'text', required: true, default: 'free' },
        ...timestamps(),
      ],
    },
    {
      name: 'memberships',
      columns: [
        id(),
        ref('organization_id', 'organizations', 'cascade', true),
        ref('user_id', 'users', 'cascade', true),
        { name: 'role', type: 'text', required: true, default: 'member' },
        ...timestamps(),
      ],
      indexes: [
        { columns: ['organization_id', 'user_id'], unique: true },
        { columns: ['user_id'] },
      ],
    },
    {
      name: 'invitations',
      columns: [
        id(),
        ref('organization_id', 'organizations', 'cascade', true),
        ref('invited_by_id', 'users', 'set null'),
        requiredText('email'),
        { name: 'role', type: 'text', required: true, default: 'member' },
        { name: 'token_hash', type: 'text', required: true, unique: true, secret: true },
        { name: 'expires_at', type: 'timestamptz', required: true },
        { name: 'accepted_at', type: 'timestamptz' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['organization_id'] }],
    },
    {
      name: 'projects',
      columns: [
        id(),
        ref('organization_id', 'organizations', 'cascade', true),
        ref('created_by_id', 'users', 'set null'),
        requiredText('name'),
        { name: 'description', type: 'text' },
        { name: 'archived', type: 'boolean', required: true, default: false },
        ...timestamps(),
      ],
      indexes: [{ columns: ['organization_id'] }],
    },
    {
      name: 'api_keys',
      columns: [
        id(),
        ref('organization_id', 'organizations', 'cascade', true),
        requiredText('name'),
        { name: 'key_hash', type: 'text', required: true, unique: true, secret: true },
        { name: 'last_used_at', type: 'timestamptz' },
        { name: 'revoked_at', type: 'timestamptz' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['organization_id'] }],
    },
    {
      name: 'audit_events',
      columns: [
        id(),
        ref('organization_id', 'organizations', 'cascade', true),
        ref('actor_id', 'users', 'set null'),
        requiredText('action'),
        { name: 'target', type: 'text' },
        { name: 'data', type: 'jsonb' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['organization_id', 'created_at'] }],
    },
  ],
}
