// ECR adapter: is an image in this region's registry. DescribeImages with an imageId answers
// ImageNotFoundException when the image is not there, RepositoryNotFoundException when the
// repository is not (ECR API reference, https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html).
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Connection } from './connection.js';
import { isAwsCallError } from './errors.js';
import type { EcrApi } from './readiness-types.js';

type Sdk = typeof import('@aws-sdk/client-ecr');
export type EcrConnection = Connection<Sdk, ECRClient>;

export function ecrAdapter(conn: EcrConnection): EcrApi {
  return {
    async imagePresence(repository, ref) {
      const imageId = ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' };
      try {
        const out = await conn.read('DescribeImages', (sdk, c, o) =>
          c.send(new sdk.DescribeImagesCommand({ repositoryName: repository, imageIds: [imageId] }), o),
        );
        return (out.imageDetails?.length ?? 0) > 0 ? 'found' : 'no-image';
      } catch (e) {
        if (isAwsCallError(e) && e.code === 'ImageNotFoundException') return 'no-image';
        if (isAwsCallError(e) && e.code === 'RepositoryNotFoundException') return 'no-repository';
        throw e;
      }
    },
  };
}
