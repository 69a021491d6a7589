//! The kinds of index the API hands out, each its own type so that an endpoint's index is never
//! taken for a policy's: [`EndpointId`] (a row and column of a matrix), [`PolicyId`] (a
//! NetworkPolicy in `Model::policies`) and [`ClusterPolicyId`] (a tiered policy in
//! `Model::cluster_policies`). Plain data; the JSON shape is the bare number.

use serde::Serialize;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        #[repr(transparent)]
        pub struct $name(pub usize);

        impl $name {
            /// The index as a number, for indexing the list it points into.
            pub const fn index(self) -> usize {
                self.0
            }
        }

        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name(index)
            }
        }
    };
}

id! {
    /// An endpoint: its row and column in a [`crate::Matrix`], an index into
    /// [`crate::Compiled::endpoints`] (matrix order: pods by `namespace/name`, then externals and
    /// nodes by name).
    EndpointId
}

id! {
    /// A NetworkPolicy: an index into `Model::policies`.
    PolicyId
}

id! {
    /// A tiered policy (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy):
    /// an index into `Model::cluster_policies`.
    ClusterPolicyId
}
