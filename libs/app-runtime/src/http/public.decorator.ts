import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'optimove:public';

/** Marks a route that needs no bearer token (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
