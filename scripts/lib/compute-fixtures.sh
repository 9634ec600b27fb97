# shellcheck shell=bash
# scripts/lib/compute-fixtures.sh - sourced (not run) by scripts/conformance.sh
# and scripts/cluster-topology.sh: setup_compute makes the fixtures Tempest's
# compute tests need, with OS_* set to the cloud's admin and WORKDIR a scratch
# directory, and exports the runner's knobs for them.
#
# Compute: the default image (an empty qcow2 disk Nimbus registers on first
# start) and a copy of it under another name, DevStack's m1.nano/m1.micro, and
# a shared network so servers get addresses (the ip filter tests need one),
# routed to the external network for the floating-IP proxy tests.
setup_compute() {
    IMAGE_REF=$(openstack image show nimbus-blank-qcow2 -f value -c id)
    openstack image save --file "$WORKDIR/blank.qcow2" "$IMAGE_REF"
    IMAGE_REF_ALT=$(openstack image create nimbus-blank-qcow2-alt --disk-format qcow2 \
        --container-format bare --public --file "$WORKDIR/blank.qcow2" -f value -c id)
    FLAVOR_REF=42 FLAVOR_REF_ALT=84
    NETWORK_NAME=tempest-shared
    openstack network create --share "$NETWORK_NAME" -f value -c id >/dev/null
    openstack subnet create --network "$NETWORK_NAME" --subnet-range 192.168.240.0/22 \
        "$NETWORK_NAME-subnet" -f value -c id >/dev/null
    # DevStack's router1: without a router from the shared subnet to `public`,
    # Neutron (rightly) refuses floating IPs for its ports as unreachable.
    openstack router create --external-gateway public "$NETWORK_NAME-router" -f value -c id >/dev/null
    openstack router add subnet "$NETWORK_NAME-router" "$NETWORK_NAME-subnet"
    PUBLIC_NETWORK_ID=$(openstack network show public -f value -c id)
    # Tempest's [compute] max_microversion: the newest the cloud's version
    # document says it serves, as DevStack sets it from Nova's. Tests of newer
    # microversions then skip instead of asking for one the cloud refuses.
    COMPUTE_MAX_MICROVERSION=${COMPUTE_MAX_MICROVERSION:-$(openstack versions show --service compute \
        --status CURRENT -f value -c "Max Microversion")}
    export IMAGE_REF IMAGE_REF_ALT FLAVOR_REF FLAVOR_REF_ALT NETWORK_NAME PUBLIC_NETWORK_ID COMPUTE_MAX_MICROVERSION
}

