// One host and one browser at a time: the collections (the staff pages' host, the OpenID Connect host with its provider)
// run one after the other, so that a 2-core CI machine is not running two hosts and Chromium against each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
