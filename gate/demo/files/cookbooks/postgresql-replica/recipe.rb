# Configure the streaming replica.
template "/var/opt/gitlab/postgresql/data/recovery.conf" do
  source "recovery.conf.erb"
  variables(primary_host: "db1.cluster.internal", standby_mode: "on")
end
