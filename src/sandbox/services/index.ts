// Every service the sandbox answers. One import line per service module.
import type { ServiceModule } from '../contract.js';
import { route53Service } from './route53/index.js';
import { stsService } from './sts/index.js';
import { rdsService } from './rds/index.js';
import { rdsInstanceService } from './rds/instance-ops.js';
import { elastiCacheService } from './elasticache/index.js';
import { ecsService } from './ecs/index.js';
import { cloudWatchService } from './cloudwatch/index.js';
import { autoScalingService } from './application-autoscaling/index.js';
import { ecrService } from './ecr/index.js';
import { secretsManagerService } from './secretsmanager/index.js';
import { iamService } from './iam/index.js';

export const serviceModules: ServiceModule[] = [
  route53Service as ServiceModule,
  stsService as ServiceModule,
  rdsService as ServiceModule,
  rdsInstanceService as ServiceModule,
  elastiCacheService as ServiceModule,
  ecsService as ServiceModule,
  cloudWatchService as ServiceModule,
  autoScalingService as ServiceModule,
  ecrService as ServiceModule,
  secretsManagerService as ServiceModule,
  iamService as ServiceModule,
];
