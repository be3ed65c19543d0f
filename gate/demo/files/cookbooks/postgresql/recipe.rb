# Configure the PostgreSQL server.
template "/var/opt/gitlab/postgresql/data/postgresql.conf" do
  source "postgresql.conf.erb"
  variables(max_connections: 300, shared_buffers: "8GB")
end
