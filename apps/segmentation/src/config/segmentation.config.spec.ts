import { loadConfig } from '@optimove/config';
import { composeServiceEnv } from '@optimove/testing';
import { SegmentationConfig } from './segmentation.config';

describe(SegmentationConfig.name, () => {
  it('should accept the environment docker-compose.yml gives the segmentation service', () => {
    expect(() => loadConfig(SegmentationConfig, composeServiceEnv('segmentation'))).not.toThrow();
  });

  it('should name the variable when the environment is invalid', () => {
    expect(() => loadConfig(SegmentationConfig, { ...composeServiceEnv('segmentation'), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
