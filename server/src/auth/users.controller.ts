import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserSummary } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { ClientInfo, CurrentUser } from './access.decorator.js';
import type { AuthedPrincipal, Client } from './auth.types.js';
import { UsersService } from './users.service.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller({ path: 'users', version: '1' })
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Every account (administrators)' })
  list(): Promise<UserSummary[]> {
    return this.users.list();
  }

  @Get(':id')
  @Access('admin')
  @ApiOperation({ summary: 'One account (administrators)' })
  get(@Param('id') id: string): Promise<UserSummary> {
    return this.users.get(id);
  }

  @Post()
  @Access('admin')
  @ApiOperation({
    summary: 'Creates an account (administrators): {username, displayName, role, scope, password}',
    description: 'role admin: scope nation; leader: nation or province:<code>; operator: province:<code>; commune_chair: commune:<code>.',
  })
  create(@Body() body: unknown, @CurrentUser() by: AuthedPrincipal, @ClientInfo() client: Client): Promise<UserSummary> {
    return this.users.create(body, by, client);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Changes an account (administrators): displayName, role, scope, active (false signs it out everywhere), unlock: true' })
  update(@Param('id') id: string, @Body() body: unknown, @CurrentUser() by: AuthedPrincipal, @ClientInfo() client: Client): Promise<UserSummary> {
    return this.users.update(id, body, by, client);
  }

  @Post(':id/password')
  @HttpCode(200)
  @Access('admin')
  @ApiOperation({ summary: "Sets an account's password (administrators): {password}; clears a lockout and signs the account out everywhere" })
  resetPassword(@Param('id') id: string, @Body() body: unknown, @CurrentUser() by: AuthedPrincipal, @ClientInfo() client: Client): Promise<UserSummary> {
    return this.users.resetPassword(id, body, by, client);
  }
}
